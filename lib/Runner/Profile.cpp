//===- Profile.cpp - Per-kernel time against work and the roofline --------===//

#include "axon/Runner/Profile.h"
#include "axon/Analysis/OpCost.h"
#include "axon/Support/GpuAbi.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

using namespace mlir;

namespace axon {

bool KernelInfo::tensorCores() const {
  return family == "matmul_wgmma" || family == "attention_flash" ||
         family == "matmul_mma";
}

std::map<std::string, KernelInfo> takeKernelTable(ModuleOp module, DictionaryAttr *raw) {
  auto dict = module->getAttrOfType<DictionaryAttr>(abi::kKernelTableAttr);
  module->removeAttr(abi::kKernelTableAttr);
  if (raw)
    *raw = dict;
  return readKernelTable(dict);
}

std::map<std::string, KernelInfo> readKernelTable(DictionaryAttr dict) {
  std::map<std::string, KernelInfo> table;
  if (!dict)
    return table;
  for (NamedAttribute entry : dict) {
    auto fields = dyn_cast<DictionaryAttr>(entry.getValue());
    if (!fields)
      continue;
    KernelInfo info;
    if (auto s = fields.getAs<StringAttr>("strategy"))
      info.strategy = s.getValue().str();
    if (auto f = fields.getAs<StringAttr>("family"))
      info.family = f.getValue().str();
    if (auto c = fields.getAs<DictionaryAttr>("config")) {
      llvm::raw_string_ostream os(info.config);
      llvm::interleave(
          c, os,
          [&](NamedAttribute kv) {
            os << kv.getName().getValue() << "=";
            if (auto i = dyn_cast<IntegerAttr>(kv.getValue()))
              os << i.getInt();
            else
              kv.getValue().print(os);
          },
          ",");
    }
    if (auto f = fields.getAs<IntegerAttr>("flops"))
      info.flops = f.getInt();
    if (auto b = fields.getAs<IntegerAttr>("bytes"))
      info.bytes = b.getInt();
    table[entry.getName().str()] = info;
  }
  return table;
}

Ceilings Ceilings::forDevice(StringRef deviceName) {
  Ceilings c;
  // Published dense rates (SXM): f16/bf16 tensor cores 989 TFLOP/s, f32 FMA
  // 67 TFLOP/s; the same for both chips (the H200 adds memory, not math).
  if (deviceName.contains("H100") || deviceName.contains("H200")) {
    c.tensorTflops = 989.4;
    c.fmaTflops = 66.9;
    c.tflopsSource = "the chip's published dense rates";
  }
  return c;
}

namespace {
struct Row {
  KernelSample sample;
  KernelInfo info;
  double gbs = -1, tflops = -1, roofline = -1;
};

std::vector<Row> rowsOf(const GpuProfile &p) {
  std::vector<Row> rows;
  for (const KernelSample &s : p.samples) {
    Row r{s, {}};
    auto it = p.table.find(s.name);
    if (it != p.table.end())
      r.info = it->second;
    double seconds = s.ms * 1e-3;
    if (seconds > 0 && r.info.bytes >= 0)
      r.gbs = r.info.bytes / seconds * 1e-9;
    if (seconds > 0 && r.info.flops >= 0)
      r.tflops = r.info.flops / seconds * 1e-12;
    double peakTflops =
        r.info.tensorCores() ? p.ceilings.tensorTflops : p.ceilings.fmaTflops;
    // Attainable = min(compute ceiling, intensity x bandwidth ceiling).
    if (r.info.flops > 0 && r.info.bytes > 0 && peakTflops > 0 &&
        p.ceilings.gbs > 0) {
      double intensity = double(r.info.flops) / r.info.bytes; // FLOP per byte
      double attainable =
          std::min(peakTflops, intensity * p.ceilings.gbs * 1e-3);
      r.roofline = r.tflops / attainable;
    } else if (r.gbs >= 0 && p.ceilings.gbs > 0) {
      r.roofline = r.gbs / p.ceilings.gbs;
    }
    rows.push_back(r);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
    return a.sample.ms > b.sample.ms;
  });
  return rows;
}

struct StrategyTotal {
  std::string strategy;
  unsigned kernels = 0;
  double ms = 0;
};

std::vector<StrategyTotal> byStrategy(const std::vector<Row> &rows) {
  std::map<std::string, StrategyTotal> totals;
  for (const Row &r : rows) {
    std::string name = r.info.family.empty() ? "?" : r.info.family;
    StrategyTotal &t = totals[name];
    t.strategy = name;
    t.kernels += 1;
    t.ms += r.sample.ms;
  }
  std::vector<StrategyTotal> list;
  for (auto &[name, t] : totals)
    list.push_back(t);
  std::stable_sort(list.begin(), list.end(),
                   [](const StrategyTotal &a, const StrategyTotal &b) {
                     return a.ms > b.ms;
                   });
  return list;
}

std::string rate(double value) {
  return value < 0 ? "-" : llvm::formatv("{0:F1}", value).str();
}
} // namespace

void printGpuProfile(raw_ostream &os, const GpuProfile &p) {
  std::vector<Row> rows = rowsOf(p);
  double total = 0;
  for (const Row &r : rows)
    total += r.sample.ms;
  os << llvm::format(
      "profile: %s, %zu kernels, %.4f ms of kernels per call (mean of %u "
      "profiled calls)\n",
      p.device.c_str(), rows.size(), total, p.calls);
  os << "ceilings: " << rate(p.ceilings.gbs) << " GB/s ("
     << p.ceilings.gbsSource << "), " << rate(p.ceilings.tensorTflops)
     << " TFLOP/s tensor cores, " << rate(p.ceilings.fmaTflops)
     << " TFLOP/s FMA"
     << (p.ceilings.tflopsSource.empty() ? ""
                                         : " (" + p.ceilings.tflopsSource + ")")
     << "\n";
  os << llvm::format("%10s %6s %9s %9s %9s  %s\n", "ms", "share", "GB/s",
                     "TFLOP/s", "roofline", "kernel [strategy: config]");
  for (const Row &r : rows) {
    std::string roof =
        r.roofline < 0 ? "-" : llvm::formatv("{0:F1}%", 100 * r.roofline).str();
    os << llvm::format("%10.4f %5.1f%% %9s %9s %9s  ", r.sample.ms,
                       total > 0 ? 100 * r.sample.ms / total : 0.0,
                       rate(r.gbs).c_str(), rate(r.tflops).c_str(),
                       roof.c_str())
       << r.sample.name << " ["
       << (r.info.strategy.empty() ? "?" : r.info.strategy);
    if (!r.info.config.empty())
      os << ": " << r.info.config;
    os << "]\n";
  }
  os << "by strategy:\n";
  for (const StrategyTotal &t : byStrategy(rows))
    os << llvm::format("%10.4f %5.1f%%  %s (%u kernels)\n", t.ms,
                       total > 0 ? 100 * t.ms / total : 0.0, t.strategy.c_str(),
                       t.kernels);
}

void writeGpuProfileJson(raw_ostream &os, const GpuProfile &p) {
  llvm::json::Array kernels, strategies;
  std::vector<Row> rows = rowsOf(p);
  auto orNull = [](double v) -> llvm::json::Value {
    if (v < 0)
      return nullptr;
    return v;
  };
  for (const Row &r : rows)
    kernels.push_back(llvm::json::Object{{"name", r.sample.name},
                                         {"strategy", r.info.strategy},
                                         {"family", r.info.family},
                                         {"config", r.info.config},
                                         {"ms", r.sample.ms},
                                         {"calls", r.sample.calls},
                                         {"flops", r.info.flops},
                                         {"bytes", r.info.bytes},
                                         {"gbs", orNull(r.gbs)},
                                         {"tflops", orNull(r.tflops)},
                                         {"roofline", orNull(r.roofline)}});
  for (const StrategyTotal &t : byStrategy(rows))
    strategies.push_back(llvm::json::Object{
        {"strategy", t.strategy}, {"kernels", t.kernels}, {"ms", t.ms}});
  llvm::json::Object root{
      {"device", p.device},
      {"calls", p.calls},
      {"ceilings",
       llvm::json::Object{{"gbs", p.ceilings.gbs},
                          {"gbs_source", p.ceilings.gbsSource},
                          {"tensor_tflops", p.ceilings.tensorTflops},
                          {"fma_tflops", p.ceilings.fmaTflops}}},
      {"kernels", std::move(kernels)},
      {"strategies", std::move(strategies)}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

CpuOpCosts collectCpuOpCosts(ModuleOp module) {
  CpuOpCosts costs;
  module.walk([&](linalg::LinalgOp op) {
    CpuOpCosts::Op line{op->getName().getStringRef().str()};
    if (std::optional<OpCost> cost = estimateOpCost(op)) {
      line.flops = cost->flops;
      line.bytes = cost->bytes;
      costs.flops += cost->flops;
      costs.bytes += cost->bytes;
    } else {
      ++costs.unknown;
    }
    costs.ops.push_back(line);
  });
  return costs;
}

void printCpuProfile(raw_ostream &os, const CpuOpCosts &costs, double entryMs) {
  os << "profile: cpu, " << costs.ops.size() << " linalg ops";
  if (costs.unknown)
    os << " (" << costs.unknown << " of dynamic shape, not counted)";
  os << ", " << costs.flops << " FLOPs, " << costs.bytes
     << " bytes of operands and results\n";
  for (const CpuOpCosts::Op &op : costs.ops)
    os << "  " << op.name << ": " << op.flops << " FLOPs, " << op.bytes
       << " bytes\n";
  if (entryMs > 0)
    os << llvm::format("rate: %.3f GFLOP/s, %.3f GB/s at %.4f ms per call\n",
                       costs.flops / (entryMs * 1e-3) * 1e-9,
                       costs.bytes / (entryMs * 1e-3) * 1e-9, entryMs);
}

} // namespace axon
