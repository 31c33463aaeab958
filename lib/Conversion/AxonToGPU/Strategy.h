//===- Strategy.h - GPU kernel strategies: match, configure, emit -*- C++
//-*-===//
//
// Every GPU kernel Axon forms comes from a strategy. A strategy
//   - matches an op and describes it as a Problem (or says why it cannot),
//   - chooses a Config for the Problem on a Target: a dictionary of integers
//     that is printed on the kernel (`axon.config`) and that a lit test or a
//     tuner can pin on the op before formation,
//   - emits the kernel(s) for a Problem and a Config.
// Strategies are registered with priorities; the first that matches forms
// the kernel. What no strategy matches becomes a generic `loops` kernel,
// and each such fallback can be reported as a remark naming the op.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_LIB_CONVERSION_AXONTOGPU_STRATEGY_H
#define AXON_LIB_CONVERSION_AXONTOGPU_STRATEGY_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

#include <memory>
#include <string>
#include <vector>

namespace axon {
class TuningCache;
} // namespace axon

namespace axon::gpu_kernels {

/// What kernels are compiled for: read by chooseConfig.
struct GpuTarget {
  std::string chip = "sm_90a";
  int64_t multiprocessors = 132;
  /// Shared memory a block may use (with the opt-in above 48 KB).
  int64_t sharedMemoryPerBlock = 227 * 1024;
  /// Whether f32 matmuls may run on the TF32 tensor cores (`allow-tf32`).
  bool allowTf32 = false;
  /// Measured configs that replace the heuristic's (Tuning.h), if given.
  const TuningCache *tuning = nullptr;

  static GpuTarget forChip(llvm::StringRef chip);
  /// Hopper's warpgroup MMA (wgmma) and its TMA feed need sm_90a; else
  /// `whyNot` says so (for the strategies built on them).
  bool hasWgmma(std::string &whyNot) const {
    if (chip == "sm_90a")
      return true;
    whyNot = "wgmma needs sm_90a, the target is " + chip;
    return false;
  }
  /// The warp-level MMA (mma.sync) of sm_80 and later.
  bool hasMmaSync(std::string &whyNot) const;
};

/// A matched op as its strategy sees it; each strategy derives its own.
struct KernelProblem {
  explicit KernelProblem(mlir::Operation *op) : op(op) {}
  virtual ~KernelProblem();
  mlir::Operation *op;
};

class KernelStrategy {
public:
  virtual ~KernelStrategy();
  /// The name that `axon.strategy` pins on an op.
  virtual llvm::StringRef name() const = 0;
  /// Higher is tried first.
  virtual int priority() const = 0;
  /// Part of the tuning cache's key: bumped when the strategy's kernels or
  /// the meaning of its config change, so older tuned configs are ignored.
  virtual int64_t version() const { return 1; }
  /// Whether the strategy can emit for `target` at all (else `whyNot`).
  virtual bool supportsTarget(const GpuTarget &target,
                              std::string &whyNot) const {
    return true;
  }
  /// The problem, or null with `whyNot` saying what is outside the strategy.
  virtual std::unique_ptr<KernelProblem> match(mlir::Operation *op,
                                               std::string &whyNot) const = 0;
  /// Whether a matched `problem` may run on `target` (e.g. a numeric policy
  /// such as TF32 that the target options must allow); else `whyNot`.
  virtual bool accepts(const KernelProblem &problem, const GpuTarget &target,
                       std::string &whyNot) const {
    return true;
  }
  /// The heuristic configuration for `problem` on `target`.
  virtual mlir::DictionaryAttr chooseConfig(const KernelProblem &problem,
                                            const GpuTarget &target) const = 0;
  /// The configs a tuner measures for `problem` on `target`: the heuristic's
  /// first, then alternatives that verifyConfig accepts. One (the
  /// heuristic's) when the strategy has nothing to tune.
  virtual std::vector<mlir::DictionaryAttr>
  candidateConfigs(const KernelProblem &problem, const GpuTarget &target) const {
    return {chooseConfig(problem, target)};
  }
  /// Whether a pinned `config` is one this strategy can emit for `problem`.
  virtual mlir::LogicalResult verifyConfig(const KernelProblem &problem,
                                           mlir::DictionaryAttr config,
                                           std::string &error) const = 0;
  /// Emits the kernel(s) before the problem's op and returns the values that
  /// replace its results.
  virtual llvm::SmallVector<mlir::Value>
  emit(mlir::RewriterBase &rewriter, const KernelProblem &problem,
       mlir::DictionaryAttr config) const = 0;
};

/// Strategies by priority.
class StrategyRegistry {
public:
  void add(std::unique_ptr<KernelStrategy> strategy);
  llvm::ArrayRef<std::unique_ptr<KernelStrategy>> strategies() const {
    return ordered;
  }
  const KernelStrategy *lookup(llvm::StringRef name) const;
  /// Axon's own strategies.
  static const StrategyRegistry &builtin();

private:
  llvm::SmallVector<std::unique_ptr<KernelStrategy>> ordered;
};

/// Axon ops that need a kernel of their own; the rest are elementwise (the
/// elementwise strategy forms them after lowering to linalg) or free views.
/// (`axon.attention` is offered first, before it would be decomposed.)
bool needsKernelStrategy(mlir::Operation *op);

/// The strategy kernel formation picks for an unpinned `op` and its problem,
/// or a null strategy with the reasons of those that declined in `whyNot`.
struct StrategyMatch {
  const KernelStrategy *strategy = nullptr;
  std::unique_ptr<KernelProblem> problem;
};
StrategyMatch matchStrategy(mlir::Operation *op, const StrategyRegistry &registry,
                            const GpuTarget &target, std::string &whyNot);

/// The config of an unpinned match: the tuning cache's entry for the
/// problem if there is a valid one, else the heuristic's. An entry that the
/// strategy rejects is reported as a warning on the op and not used.
mlir::DictionaryAttr configFor(mlir::Operation *op, const KernelStrategy &strategy,
                               const KernelProblem &problem, const GpuTarget &target);

/// Keeps the candidates that verifyConfig accepts, without duplicates, the
/// heuristic's first.
std::vector<mlir::DictionaryAttr>
validCandidates(const KernelStrategy &strategy, const KernelProblem &problem,
                const GpuTarget &target, llvm::ArrayRef<mlir::DictionaryAttr> proposed);

enum class FormOutcome { Formed, NoStrategy, Failed };

/// Forms kernels for `op` with the first matching strategy, or with the
/// strategy and config pinned on it (`axon.strategy`, `axon.config`); a
/// pinned choice that does not apply is an error on the op (Failed).
/// NoStrategy leaves the IR untouched and lists the reasons in `whyNot`.
FormOutcome formKernel(mlir::RewriterBase &rewriter, mlir::Operation *op,
                       const StrategyRegistry &registry,
                       const GpuTarget &target, std::string &whyNot);

/// Reading and building configurations.
std::optional<int64_t> configInt(mlir::DictionaryAttr config,
                                 llvm::StringRef key);
mlir::DictionaryAttr
makeConfig(mlir::MLIRContext *context,
           llvm::ArrayRef<std::pair<llvm::StringRef, int64_t>> entries);
/// Checks that `config` has exactly `keys`, each a positive integer.
mlir::LogicalResult checkConfigKeys(mlir::DictionaryAttr config,
                                    llvm::ArrayRef<llvm::StringRef> keys,
                                    std::string &error);

/// The config of strategies whose only knob is the block size: {threads}.
mlir::DictionaryAttr threadsConfig(mlir::MLIRContext *context, int64_t threads);
mlir::LogicalResult verifyThreadsConfig(mlir::DictionaryAttr config,
                                        std::string &error);

// The tensor-core GEMM's configs, shared by matmul_wgmma and conv_wgmma
// (an M x N product with K-deep operands).
mlir::DictionaryAttr chooseWgmmaConfig(mlir::MLIRContext *context, int64_t m, int64_t n,
                                       int64_t k, int64_t batch, const GpuTarget &target);
std::vector<mlir::DictionaryAttr> wgmmaCandidateConfigs(mlir::MLIRContext *context, int64_t m,
                                                        int64_t n, int64_t batch,
                                                        const GpuTarget &target);
mlir::LogicalResult verifyWgmmaConfig(mlir::DictionaryAttr config, bool batched,
                                      std::string &error);

// The strategies (one file each).
std::unique_ptr<KernelStrategy> createRowStrategy();
std::unique_ptr<KernelStrategy> createMatmulTiledStrategy();
std::unique_ptr<KernelStrategy> createMatmulMmaStrategy();
std::unique_ptr<KernelStrategy> createMatmulWgmmaStrategy();
std::unique_ptr<KernelStrategy> createFlashAttentionStrategy();
std::unique_ptr<KernelStrategy> createConvImplicitGemmStrategy();
std::unique_ptr<KernelStrategy> createConvWgmmaStrategy();
std::unique_ptr<KernelStrategy> createConvDepthwiseStrategy();
std::unique_ptr<KernelStrategy> createPoolStrategy();
std::unique_ptr<KernelStrategy> createTransposeStrategy();
std::unique_ptr<KernelStrategy> createSliceStrategy();
std::unique_ptr<KernelStrategy> createReduceStrategy();
std::unique_ptr<KernelStrategy> createElementwiseStrategy();

} // namespace axon::gpu_kernels

#endif // AXON_LIB_CONVERSION_AXONTOGPU_STRATEGY_H
