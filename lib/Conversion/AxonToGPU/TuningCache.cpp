//===- TuningCache.cpp - The tuning cache file ----------------------------===//
//
// {"format": "axon-tuning-cache", "version": 1, "entries": [
//    {"chip": "sm_90a", "strategy": "matmul_wgmma", "strategy_version": 1,
//     "problem": "...", "config": {"bm": 128, ...},
//     "us": 12.5, "heuristic_us": 14.0, "device": "NVIDIA H200"}, ...]}
//
//===----------------------------------------------------------------------===//

#include "axon/Conversion/AxonToGPU/Tuning.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <tuple>

using namespace mlir;

namespace axon {

namespace {
constexpr llvm::StringLiteral kFormat = "axon-tuning-cache";
constexpr int64_t kFormatVersion = 1;

llvm::Error fileError(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "tuning cache '" + path + "': " + message);
}
} // namespace

TunedConfig toTunedConfig(DictionaryAttr config) {
  TunedConfig result;
  for (NamedAttribute entry : config)
    if (auto value = dyn_cast<IntegerAttr>(entry.getValue()))
      result[entry.getName().str()] = value.getInt();
  return result;
}

DictionaryAttr toConfigAttr(MLIRContext *context, const TunedConfig &config) {
  Builder b(context);
  SmallVector<NamedAttribute> attrs;
  for (const auto &[name, value] : config)
    attrs.push_back(b.getNamedAttr(name, b.getI64IntegerAttr(value)));
  return b.getDictionaryAttr(attrs);
}

std::string describeConfig(const TunedConfig &config) {
  std::string text = "{";
  for (const auto &[name, value] : config)
    text += (text.size() > 1 ? ", " : "") + name + " = " + std::to_string(value);
  return text + "}";
}

bool TuningKey::operator<(const TuningKey &other) const {
  return std::tie(chip, strategy, strategyVersion, problem) <
         std::tie(other.chip, other.strategy, other.strategyVersion, other.problem);
}

llvm::Expected<TuningCache> TuningCache::load(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return fileError(path, "cannot read it: " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse((*buffer)->getBuffer());
  if (!parsed)
    return fileError(path, "not JSON: " + llvm::toString(parsed.takeError()));
  const llvm::json::Object *root = parsed->getAsObject();
  if (!root || root->getString("format") != kFormat)
    return fileError(path, "not a tuning cache (no \"format\": \"" + kFormat + "\")");
  if (root->getInteger("version") != kFormatVersion)
    return fileError(path, "format version " +
                               llvm::Twine(root->getInteger("version").value_or(-1)) +
                               " is not " + llvm::Twine(kFormatVersion));
  const llvm::json::Array *list = root->getArray("entries");
  if (!list)
    return fileError(path, "no \"entries\" array");
  TuningCache cache;
  cache.source = path.str();
  for (auto [index, value] : llvm::enumerate(*list)) {
    auto bad = [&](const llvm::Twine &why) {
      return fileError(path, "entry " + llvm::Twine(index) + ": " + why);
    };
    const llvm::json::Object *entry = value.getAsObject();
    if (!entry)
      return bad("not an object");
    TuningKey key;
    TuningEntry tuned;
    std::optional<llvm::StringRef> chip = entry->getString("chip"),
                                   strategy = entry->getString("strategy"),
                                   problem = entry->getString("problem");
    std::optional<int64_t> version = entry->getInteger("strategy_version");
    const llvm::json::Object *config = entry->getObject("config");
    if (!chip || !strategy || !problem || !version || !config)
      return bad("needs \"chip\", \"strategy\", \"strategy_version\", \"problem\" and "
                 "\"config\"");
    key = {chip->str(), strategy->str(), *version, problem->str()};
    for (const auto &[name, number] : *config) {
      std::optional<int64_t> integer = number.getAsInteger();
      if (!integer || *integer <= 0)
        return bad("config value '" + name.str() + "' is not a positive integer");
      tuned.config[name.str()] = *integer;
    }
    if (tuned.config.empty())
      return bad("empty config");
    tuned.micros = entry->getNumber("us").value_or(0);
    tuned.heuristicMicros = entry->getNumber("heuristic_us").value_or(0);
    tuned.device = entry->getString("device").value_or("").str();
    cache.entries[key] = std::move(tuned);
  }
  return cache;
}

llvm::Error TuningCache::save(llvm::StringRef path) const {
  llvm::json::Array list;
  for (const auto &[key, entry] : entries) {
    llvm::json::Object config;
    for (const auto &[name, value] : entry.config)
      config[name] = value;
    list.push_back(llvm::json::Object{{"chip", key.chip},
                                      {"strategy", key.strategy},
                                      {"strategy_version", key.strategyVersion},
                                      {"problem", key.problem},
                                      {"config", std::move(config)},
                                      {"us", entry.micros},
                                      {"heuristic_us", entry.heuristicMicros},
                                      {"device", entry.device}});
  }
  llvm::json::Object root{{"format", kFormat}, {"version", kFormatVersion},
                          {"entries", std::move(list)}};
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return fileError(path, "cannot write it: " + ec.message());
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  return llvm::Error::success();
}

const TuningEntry *TuningCache::lookup(const TuningKey &key) const {
  auto it = entries.find(key);
  return it == entries.end() ? nullptr : &it->second;
}

void TuningCache::insert(const TuningKey &key, TuningEntry entry) {
  entries[key] = std::move(entry);
}

} // namespace axon
