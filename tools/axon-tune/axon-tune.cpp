//===- axon-tune.cpp - Measure GPU kernel configs, keep the fastest -------===//
//
// axon-tune model.{mlir,onnx} --cache=tune.json
//   finds the ops of the program whose GPU strategy offers several configs
//   (matmuls, convolutions, attention), compiles each candidate config of
//   each distinct problem as a program of its own, times its kernels on the
//   device (CUDA events, median of --repeat calls after warm-up), checks its
//   result against the heuristic config's, and records the fastest in the
//   tuning cache file (merged with the entries already there). Each
//   candidate runs in a process of its own (this tool, --measure), so one
//   that faults or hangs (killed after --timeout seconds) is reported and
//   skipped without losing the device for the rest. Compile with
//   `axon-run --tuning-cache=tune.json` (or the pipelines' `tuning-cache`).
//   --list prints the problems and candidates without a device.
//
//===----------------------------------------------------------------------===//

#include "axon/Conversion/AxonToGPU/Tuning.h"
#include "axon/Dialect/Axon/Transforms/Passes.h"
#include "axon/Pipelines/Pipelines.h"
#include "axon/Registration/Registration.h"
#include "axon/Runner/CudaExecutable.h"
#include "axon/Runner/Npy.h"
#include "axon/Support/CommandLine.h"
#include "axon/Support/GpuAbi.h"
#include "axon/Support/InputGuards.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#ifdef AXON_HAS_ONNX
#include "axon/Frontend/ONNX/Importer.h"
#endif

#include <cmath>
#include <set>

using namespace mlir;
using namespace axon;
namespace cl = llvm::cl;

namespace {

struct TuneOptions {
  cl::OptionCategory category{"axon-tune"};
  cl::opt<std::string> inputFile{cl::Positional, cl::desc("<program.mlir | model.onnx>"),
                                 cl::cat(category)};
  cl::opt<std::string> cachePath{"cache", cl::desc("The tuning cache file to write (entries "
                                                   "already there are kept)"),
                                 cl::cat(category)};
  cl::opt<bool> list{"list", cl::desc("Print the tunable problems and their candidate "
                                      "configs, measure nothing"),
                     cl::cat(category)};
  cl::opt<std::string> gpuChip{"gpu-chip", cl::init("sm_90a"),
                               cl::desc("GPU architecture to compile for"), cl::cat(category)};
  cl::opt<bool> allowTf32{"allow-tf32", cl::desc("Tune the TF32 configs of f32 matmuls"),
                          cl::cat(category)};
  cl::opt<bool> fuse{"fuse", cl::init(true),
                     cl::desc("Run axon-fuse first, as axon-run does (--fuse=false: the "
                              "ops as written)"),
                     cl::cat(category)};
  cl::opt<unsigned> repeat{"repeat", cl::init(20),
                           cl::desc("Timed calls per candidate (after 3 warm-up calls)"),
                           cl::cat(category)};
  cl::opt<unsigned> timeout{"timeout", cl::init(120),
                            cl::desc("Seconds a candidate may take before it is killed"),
                            cl::cat(category)};
  /// The child's side: one pinned program, measured.
  cl::opt<std::string> measureFile{"measure", cl::Hidden,
                                   cl::desc("Measure this single-kernel program (internal)")};
  cl::list<std::string> onnxShapes{"onnx-input-shape",
                                   cl::desc("name=d0,d1,...: fix an ONNX graph input's shape"),
                                   cl::cat(category)};
};

int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "axon-tune") << message << "\n";
  return 1;
}

OwningOpRef<ModuleOp> loadProgram(const TuneOptions &opts, MLIRContext &context,
                                  const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
                                  std::string &error) {
  llvm::StringRef path = opts.inputFile;
  if (path.ends_with(".onnx") || path.ends_with(".onnxtxt")) {
#ifdef AXON_HAS_ONNX
    onnx_frontend::ImportOptions import;
    for (const std::string &spec : opts.onnxShapes)
      if (!onnx_frontend::parseInputShape(spec, import, error))
        return nullptr;
    OwningOpRef<ModuleOp> module = onnx_frontend::importModelFile(path, &context, import);
    if (!module)
      error = "cannot import '" + path.str() + "'";
    return module;
#else
    error = "this axon-tune was built without the ONNX frontend";
    return nullptr;
#endif
  }
  auto file = openInputFile(path, &error);
  if (!file)
    return nullptr;
  if (auto hazard = findTextualIRHazard(file->getBuffer())) {
    error = "'" + path.str() + "': " + *hazard;
    return nullptr;
  }
  sourceMgr->AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    error = "cannot parse '" + path.str() + "'";
  return module;
}

bool hasStaticShapes(Operation *op) {
  auto isStatic = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || shaped.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

/// A program of `op` alone, pinned to `strategy` and `config`: constants
/// that feed it are cloned (strategies may match on them), every other
/// operand becomes an argument.
OwningOpRef<ModuleOp> extractKernel(Operation *op, llvm::StringRef strategy,
                                    DictionaryAttr config) {
  MLIRContext *context = op->getContext();
  OpBuilder b(context);
  Location loc = op->getLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  auto isConstant = [](Value v) {
    Operation *def = v.getDefiningOp();
    return def && def->hasTrait<OpTrait::ConstantLike>();
  };
  SmallVector<Type> argTypes;
  for (Value operand : op->getOperands())
    if (!isConstant(operand))
      argTypes.push_back(operand.getType());
  auto func = func::FuncOp::create(b, loc, "tune",
                                   b.getFunctionType(argTypes, op->getResultTypes()));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  IRMapping map;
  unsigned next = 0;
  for (Value operand : op->getOperands()) {
    if (map.contains(operand))
      continue;
    if (isConstant(operand))
      map.map(operand, b.clone(*operand.getDefiningOp())
                           ->getResult(cast<OpResult>(operand).getResultNumber()));
    else
      map.map(operand, entry->getArgument(next++));
  }
  Operation *kernel = b.clone(*op, map);
  kernel->setAttr(abi::kPinnedStrategyAttr, b.getStringAttr(strategy));
  kernel->setAttr(abi::kConfigAttr, config);
  func::ReturnOp::create(b, loc, kernel->getResults());
  return module;
}

struct Measurement {
  double micros = 0;
  SmallVector<HostTensor> results;
};

/// Compiles `module`, runs it on `inputs` and returns the median over
/// `repeat` calls of the sum of its kernels' times.
llvm::Expected<Measurement> measure(ModuleOp module, const TuneOptions &opts,
                                    llvm::ArrayRef<HostTensor> inputs) {
  llvm::Expected<EntrySignature> sig = findEntry(module, "tune");
  if (!sig)
    return sig.takeError();
  PassManager pm(module.getContext());
  AxonToNVVMOptions pipeline;
  pipeline.fuse = false;
  pipeline.chip = opts.gpuChip.getValue();
  pipeline.allowTf32 = opts.allowTf32.getValue();
  pipeline.format = "auto";
  buildAxonToNVVMPipeline(pm, pipeline);
  if (failed(pm.run(module)))
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "compilation failed");
  auto exe = CudaExecutable::create(module, *sig, /*optLevel=*/0);
  if (!exe)
    return exe.takeError();
  GpuRunOptions profiled;
  profiled.profileKernels = true;
  Measurement result;
  std::vector<double> times;
  for (unsigned call = 0; call < 3 + opts.repeat; ++call) {
    GpuRunTimes t;
    auto out = (*exe)->run(inputs, &t, profiled);
    if (!out)
      return out.takeError();
    double micros = 0;
    for (auto &kernel : t.kernels)
      micros += kernel.second * 1000.0;
    if (call >= 3)
      times.push_back(micros);
    result.results = std::move(*out);
  }
  llvm::sort(times);
  result.micros = times[times.size() / 2];
  return result;
}

/// The same random inputs in the parent and in every child (seeded by
/// position).
llvm::Expected<SmallVector<HostTensor>> randomInputs(ModuleOp program) {
  llvm::Expected<EntrySignature> sig = findEntry(program, "tune");
  if (!sig)
    return sig.takeError();
  SmallVector<HostTensor> inputs;
  for (auto [arg, type] : llvm::enumerate(sig->inputs))
    inputs.push_back(
        randomTensor(*dtypeFromType(type.getElementType()), type.getShape(), /*seed=*/arg + 1));
  return inputs;
}

constexpr llvm::StringLiteral kMeasuredTag = "axon-tune-measured-us ";

/// The child: measures the program in `opts.measureFile`, prints its time
/// and writes its results next to it (FILE.result<i>.npy).
int measureInChild(const TuneOptions &opts, MLIRContext &context) {
  std::string error;
  auto file = openInputFile(opts.measureFile, &error);
  if (!file)
    return fail(error);
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  sourceMgr->AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> program = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!program)
    return fail("cannot parse '" + opts.measureFile + "'");
  llvm::Expected<SmallVector<HostTensor>> inputs = randomInputs(*program);
  if (!inputs)
    return fail(llvm::toString(inputs.takeError()));
  std::string deviceName;
  if (llvm::Error err = openCudaDevice(deviceName))
    return fail(llvm::toString(std::move(err)));
  llvm::Expected<Measurement> m = measure(*program, opts, *inputs);
  if (!m)
    return fail(llvm::toString(m.takeError()));
  for (auto [i, result] : llvm::enumerate(m->results))
    if (llvm::Error err = writeNpy(opts.measureFile + ".result" + std::to_string(i) + ".npy",
                                   result))
      return fail(llvm::toString(std::move(err)));
  llvm::outs() << kMeasuredTag << llvm::format("%.6f", m->micros) << "\n";
  return 0;
}

/// The parent: measures `program` in a child process; a fault, a hang (past
/// --timeout) or a compile error comes back as an error.
llvm::Expected<Measurement> measureIsolated(ModuleOp program, const TuneOptions &opts,
                                            llvm::StringRef self, unsigned resultCount) {
  auto error = [](const llvm::Twine &m) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), m);
  };
  llvm::SmallString<128> dir;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("axon-tune", dir))
    return error("cannot create a temporary directory: " + ec.message());
  auto cleanup = llvm::make_scope_exit([&] { llvm::sys::fs::remove_directories(dir); });
  std::string programPath = (dir + "/candidate.mlir").str(), outPath = (dir + "/out.txt").str();
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(programPath, ec);
    if (ec)
      return error("cannot write '" + programPath + "': " + ec.message());
    program.print(os);
  }
  std::vector<std::string> args = {self.str(), "--measure=" + programPath,
                                   "--gpu-chip=" + opts.gpuChip.getValue(),
                                   "--repeat=" + std::to_string(opts.repeat)};
  if (opts.allowTf32)
    args.push_back("--allow-tf32");
  SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(outPath),
                                                llvm::StringRef(outPath)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(self, argRefs, std::nullopt, redirects, opts.timeout,
                                     /*MemoryLimit=*/0, &message);
  auto output = llvm::MemoryBuffer::getFile(outPath);
  llvm::StringRef text = output ? (*output)->getBuffer() : "";
  if (rc != 0) {
    llvm::StringRef last = text.rtrim().rsplit('\n').second;
    if (last.empty())
      last = text.rtrim();
    if (rc == -2)
      return error("crashed, or killed after " + llvm::Twine(opts.timeout.getValue()) + " s" +
                   (last.empty() ? "" : ": " + last));
    return error(last.empty() ? llvm::StringRef(message) : last);
  }
  size_t at = text.find(kMeasuredTag);
  Measurement result;
  if (at == llvm::StringRef::npos ||
      text.drop_front(at + kMeasuredTag.size()).split('\n').first.trim().getAsDouble(
          result.micros))
    return error("the measuring process printed no time");
  for (unsigned i = 0; i < resultCount; ++i) {
    llvm::Expected<HostTensor> tensor =
        readNpy(programPath + ".result" + std::to_string(i) + ".npy");
    if (!tensor)
      return tensor.takeError();
    result.results.push_back(std::move(*tensor));
  }
  return result;
}

/// ||got - want|| / ||want|| over all results.
double relativeError(llvm::ArrayRef<HostTensor> got, llvm::ArrayRef<HostTensor> want) {
  double diff = 0, norm = 0;
  for (auto [a, b] : llvm::zip(got, want))
    for (int64_t i = 0, e = std::min(a.numElements(), b.numElements()); i < e; ++i) {
      double x = a.elementAsDouble(i), y = b.elementAsDouble(i);
      diff += (x - y) * (x - y);
      norm += y * y;
    }
  return norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
}

/// How far a candidate may differ from the heuristic's result (summation
/// order changes with the tiles and splits; f16/bf16 results round).
double tolerance(llvm::ArrayRef<HostTensor> results) {
  for (const HostTensor &t : results)
    if (t.dtype == DType::F16 || t.dtype == DType::BF16)
      return 2e-2;
  return 1e-4;
}

} // namespace

int axonTuneMain(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  TuneOptions opts;
  hideForeignOptions({&opts.category});
  cl::ParseCommandLineOptions(argc, argv, "Axon GPU kernel tuner\n");
  if (!isValidGpuChip(opts.gpuChip))
    return fail("--gpu-chip='" + opts.gpuChip +
                "' is not a GPU architecture (expected e.g. sm_90a, sm_80)");
  if (opts.inputFile.empty() && opts.measureFile.empty())
    return fail("give a program (.mlir) or a model (.onnx) to tune");
  if (!opts.list && opts.cachePath.empty() && opts.measureFile.empty())
    return fail("give --cache=FILE (where the measured configs go), or --list");
  if (opts.repeat == 0)
    return fail("--repeat must be at least 1");

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  if (!opts.measureFile.empty())
    return measureInChild(opts, context);
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  SourceMgrDiagnosticHandler diagnostics(*sourceMgr, &context);
  std::string error;
  OwningOpRef<ModuleOp> module = loadProgram(opts, context, sourceMgr, error);
  if (!module)
    return fail(error);
  if (opts.fuse) {
    PassManager pm(&context);
    AxonFuseOptions fuse;
    pm.addNestedPass<func::FuncOp>(createAxonFuse(fuse));
    if (failed(pm.run(*module)))
      return fail("axon-fuse failed on '" + opts.inputFile + "'");
  }

  // One measurement per distinct problem: a model repeats its layers.
  std::vector<TunableKernel> kernels;
  std::set<TuningKey> seen;
  for (TunableKernel &kernel : findTunableKernels(*module, opts.gpuChip, opts.allowTf32)) {
    if (!hasStaticShapes(kernel.op)) {
      llvm::outs() << "skipped (dynamic shapes): " << kernel.key.problem << "\n";
      continue;
    }
    if (seen.insert(kernel.key).second)
      kernels.push_back(std::move(kernel));
  }
  llvm::outs() << kernels.size() << " tunable problem" << (kernels.size() == 1 ? "" : "s")
               << " for " << opts.gpuChip << "\n";
  if (opts.list) {
    for (const TunableKernel &kernel : kernels) {
      llvm::outs() << kernel.key.strategy << " v" << kernel.key.strategyVersion << ": "
                   << kernel.key.problem << "\n";
      for (auto [i, config] : llvm::enumerate(kernel.candidates))
        llvm::outs() << "  " << (i == 0 ? "heuristic " : "candidate ")
                     << describeConfig(config) << "\n";
    }
    return 0;
  }

  TuningCache cache;
  if (llvm::sys::fs::exists(opts.cachePath)) {
    llvm::Expected<TuningCache> existing = TuningCache::load(opts.cachePath);
    if (!existing)
      return fail(llvm::toString(existing.takeError()) + " (not overwritten)");
    cache = std::move(*existing);
  }
  std::string deviceName;
  if (llvm::Error err = openCudaDevice(deviceName))
    return fail("measuring needs a CUDA device: " + llvm::toString(std::move(err)));
  // Candidates run in children: this tool again, by the name it was called
  // by (the multi-tool binary dispatches on it).
  std::string self = argv[0];
  if (!llvm::StringRef(self).contains('/')) {
    llvm::ErrorOr<std::string> found = llvm::sys::findProgramByName(self);
    if (!found)
      return fail("cannot find '" + self + "' on PATH to run candidates");
    self = *found;
  }

  for (auto [index, kernel] : llvm::enumerate(kernels)) {
    llvm::outs() << "[" << index + 1 << "/" << kernels.size() << "] " << kernel.key.strategy
                 << ": " << kernel.key.problem << "\n";
    Measurement heuristic;
    std::optional<size_t> best;
    double bestMicros = INFINITY;
    for (auto [i, config] : llvm::enumerate(kernel.candidates)) {
      DictionaryAttr attr = toConfigAttr(&context, config);
      OwningOpRef<ModuleOp> program = extractKernel(kernel.op, kernel.key.strategy, attr);
      llvm::Expected<Measurement> m =
          measureIsolated(*program, opts, self, kernel.op->getNumResults());
      llvm::outs() << "  " << (i == 0 ? "heuristic " : "candidate ") << describeConfig(config);
      if (!m) {
        // The heuristic's config must work: it is what compilation uses.
        if (i == 0)
          return fail("the heuristic config failed: " + llvm::toString(m.takeError()));
        llvm::outs() << ": failed (" << llvm::toString(m.takeError()) << ")\n";
        continue;
      }
      if (i == 0) {
        heuristic = *m;
      } else {
        double err = relativeError(m->results, heuristic.results);
        if (!(err <= tolerance(heuristic.results))) {
          llvm::outs() << llvm::format(": rejected (differs from the heuristic's result by "
                                       "%.2g)\n",
                                       err);
          continue;
        }
      }
      llvm::outs() << llvm::format(": %.2f us\n", m->micros);
      if (m->micros < bestMicros) {
        bestMicros = m->micros;
        best = i;
      }
    }
    TuningEntry entry{kernel.candidates[*best], bestMicros, heuristic.micros, deviceName};
    llvm::outs() << llvm::format("  best %s: %.2f us (heuristic %.2f us, %.2fx)\n",
                                 describeConfig(entry.config).c_str(), bestMicros,
                                 heuristic.micros, heuristic.micros / bestMicros);
    cache.insert(kernel.key, std::move(entry));
  }
  if (llvm::Error err = cache.save(opts.cachePath))
    return fail(llvm::toString(std::move(err)));
  llvm::outs() << "wrote " << cache.size() << " entries to " << opts.cachePath << " ("
               << deviceName << ")\n";
  return 0;
}

#ifndef AXON_MULTICALL
int main(int argc, char **argv) { return axonTuneMain(argc, argv); }
#endif
