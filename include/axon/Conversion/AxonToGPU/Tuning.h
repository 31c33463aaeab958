//===- Tuning.h - Tuned kernel configurations: problems and the cache -----===//
//
// A GPU kernel strategy chooses its configuration (tile sizes, stages,
// splits) by a heuristic. A tuner (axon-tune) measures the configurations a
// strategy offers for each problem of a program on the device and records the
// fastest in a tuning cache file; kernel formation reads the file when it is
// given one (`tuning-cache=FILE`) and falls back to the heuristic for every
// problem it does not list, so compilation stays deterministic.
//
// Entries are keyed by (chip, strategy, strategy version, problem): a
// strategy whose kernels or config meaning change bumps its version, and
// entries recorded for another version are ignored.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_CONVERSION_AXONTOGPU_TUNING_H
#define AXON_CONVERSION_AXONTOGPU_TUNING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <vector>

namespace axon {

/// A strategy's config as plain integers (what the cache file stores).
using TunedConfig = std::map<std::string, int64_t>;

TunedConfig toTunedConfig(mlir::DictionaryAttr config);
mlir::DictionaryAttr toConfigAttr(mlir::MLIRContext *context, const TunedConfig &config);
/// `{bm = 128, bn = 256, stages = 4}`.
std::string describeConfig(const TunedConfig &config);

struct TuningKey {
  std::string chip, strategy;
  int64_t strategyVersion = 0;
  /// The op's name, operand and result types and its attributes
  /// (problemKey).
  std::string problem;
  bool operator<(const TuningKey &other) const;
};

struct TuningEntry {
  TunedConfig config;
  /// Measured kernel time of the config and of the heuristic's (us), and
  /// the device: what the tuner saw, for people reading the file.
  double micros = 0, heuristicMicros = 0;
  std::string device;
};

class TuningCache {
public:
  /// Reads a cache file; an unreadable or malformed file is an error naming
  /// it (and the entry at fault).
  static llvm::Expected<TuningCache> load(llvm::StringRef path);
  /// Writes the cache as JSON (entries in key order, so files diff well).
  llvm::Error save(llvm::StringRef path) const;

  const TuningEntry *lookup(const TuningKey &key) const;
  void insert(const TuningKey &key, TuningEntry entry);
  size_t size() const { return entries.size(); }
  /// The file the cache was loaded from ("" if built in memory).
  const std::string &path() const { return source; }

private:
  std::map<TuningKey, TuningEntry> entries;
  std::string source;
};

/// The problem an op poses to a strategy, as text: its name, operand and
/// result types and its attributes other than Axon's pins (`axon.*`).
std::string problemKey(mlir::Operation *op);

/// An op of a program whose strategy offers more than one configuration.
struct TunableKernel {
  mlir::Operation *op;
  TuningKey key;
  /// What the heuristic chooses, then the other candidates.
  std::vector<TunedConfig> candidates;
};

/// The ops of `root` (after axon-fuse, before kernel formation) that kernel
/// formation for `chip` would give to a strategy with several candidate
/// configurations; ops with a pinned strategy or config are not tunable.
std::vector<TunableKernel> findTunableKernels(mlir::Operation *root, llvm::StringRef chip,
                                              bool allowTf32);

} // namespace axon

#endif // AXON_CONVERSION_AXONTOGPU_TUNING_H
