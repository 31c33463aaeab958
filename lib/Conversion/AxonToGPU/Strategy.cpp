//===- Strategy.cpp - Strategy registry, selection and configs ------------===//

#include "Strategy.h"

#include "axon/Analysis/OpCost.h"
#include "axon/Dialect/Axon/IR/AxonOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "axon/Support/GpuAbi.h"
#include "axon/Conversion/AxonToGPU/Tuning.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace axon::gpu_kernels {

KernelProblem::~KernelProblem() = default;
KernelStrategy::~KernelStrategy() = default;

GpuTarget GpuTarget::forChip(StringRef chip) {
  GpuTarget target;
  target.chip = chip.str();
  // sm_80 (A100): 108 SMs, 163 KB; sm_86/89 (consumer Ampere/Ada): ~84, 99 KB.
  if (chip.starts_with("sm_80")) {
    target.multiprocessors = 108;
    target.sharedMemoryPerBlock = 163 * 1024;
  } else if (chip.starts_with("sm_86") || chip.starts_with("sm_89")) {
    target.multiprocessors = 84;
    target.sharedMemoryPerBlock = 99 * 1024;
  }
  return target;
}

bool GpuTarget::hasMmaSync(std::string &whyNot) const {
  StringRef digits = StringRef(chip).drop_front(3).take_while([](char c) { return llvm::isDigit(c); });
  unsigned version = 0;
  if (StringRef(chip).starts_with("sm_") && !digits.getAsInteger(10, version) &&
      version >= 80)
    return true;
  whyNot = "mma.sync needs sm_80 or later, the target is " + chip;
  return false;
}

bool needsKernelStrategy(Operation *op) {
  return isa<MatmulOp, Conv2dOp, MaxPool2dOp, AvgPool2dOp, GlobalAvgPoolOp, ReduceSumOp,
             ReduceMeanOp, ReduceMaxOp, ReduceMinOp, ReduceProdOp, ArgmaxOp, SoftmaxOp,
             LogSoftmaxOp, LayerNormOp, RmsNormOp, TransposeOp, ConcatOp, SliceOp, GatherOp,
             PadOp>(op);
}

void StrategyRegistry::add(std::unique_ptr<KernelStrategy> strategy) {
  auto at =
      llvm::find_if(ordered, [&](const std::unique_ptr<KernelStrategy> &s) {
        return s->priority() < strategy->priority();
      });
  ordered.insert(at, std::move(strategy));
}

const KernelStrategy *StrategyRegistry::lookup(StringRef name) const {
  for (const auto &s : ordered)
    if (s->name() == name)
      return s.get();
  return nullptr;
}

const StrategyRegistry &StrategyRegistry::builtin() {
  static const StrategyRegistry registry = [] {
    StrategyRegistry r;
    r.add(createRowStrategy());
    r.add(createMatmulTiledStrategy());
    r.add(createMatmulMmaStrategy());
    r.add(createMatmulWgmmaStrategy());
    r.add(createFlashAttentionStrategy());
    r.add(createConvDepthwiseStrategy());
    r.add(createConvImplicitGemmStrategy());
    r.add(createConvWgmmaStrategy());
    r.add(createPoolStrategy());
    r.add(createTransposeStrategy());
    r.add(createSliceStrategy());
    r.add(createReduceStrategy());
    r.add(createElementwiseStrategy());
    return r;
  }();
  return registry;
}

static FormOutcome emitWith(RewriterBase &rewriter, Operation *op,
                            const KernelStrategy &strategy,
                            const KernelProblem &problem,
                            DictionaryAttr config) {
  rewriter.setInsertionPoint(op);
  std::optional<OpCost> cost = estimateOpCost(op);
  Operation *before = op->getPrevNode();
  SmallVector<Value> results = strategy.emit(rewriter, problem, config);
  // The op's cost goes on its main kernel: the first labelled with the
  // strategy's name, else the first whose label extends it (labels may add
  // a variant), else the first; not on helpers such as split-K's zeroing.
  if (cost) {
    Block::iterator from = before ? std::next(before->getIterator()) : op->getBlock()->begin();
    gpu::LaunchOp exact, prefixed, first;
    for (Operation &emitted : llvm::make_range(from, op->getIterator()))
      emitted.walk([&](gpu::LaunchOp launch) {
        launch->setAttr(abi::kFamilyAttr, StringAttr::get(op->getContext(), strategy.name()));
        auto label = launch->getAttrOfType<StringAttr>(abi::kStrategyAttr);
        if (!first)
          first = launch;
        if (!label)
          return;
        if (!exact && label.getValue() == strategy.name())
          exact = launch;
        if (!prefixed && label.getValue().starts_with(strategy.name()))
          prefixed = launch;
      });
    gpu::LaunchOp main = exact ? exact : prefixed ? prefixed : first;
    if (main) {
      Builder b(op->getContext());
      main->setAttr(abi::kFlopsAttr, b.getI64IntegerAttr(cost->flops));
      main->setAttr(abi::kBytesAttr, b.getI64IntegerAttr(cost->bytes));
    }
  }
  rewriter.replaceOp(op, results);
  return FormOutcome::Formed;
}

FormOutcome formKernel(RewriterBase &rewriter, Operation *op,
                       const StrategyRegistry &registry,
                       const GpuTarget &target, std::string &whyNot) {
  auto pinnedName = op->getAttrOfType<StringAttr>(abi::kPinnedStrategyAttr);
  auto pinnedConfig = op->getAttrOfType<DictionaryAttr>(abi::kConfigAttr);
  if (pinnedName || pinnedConfig) {
    // A pinned config without a name applies to the first matching strategy.
    for (const auto &strategy : registry.strategies()) {
      if (pinnedName && strategy->name() != pinnedName.getValue())
        continue;
      std::string reason;
      std::unique_ptr<KernelProblem> problem;
      if (strategy->supportsTarget(target, reason))
        problem = strategy->match(op, reason);
      if (problem && !strategy->accepts(*problem, target, reason))
        problem.reset();
      if (!problem) {
        if (!pinnedName)
          continue;
        op->emitError() << "pinned GPU strategy '" << strategy->name()
                        << "' does not apply: "
                        << (reason.empty()
                                ? "it does not handle '" +
                                      op->getName().getStringRef().str() + "'"
                                : reason);
        return FormOutcome::Failed;
      }
      DictionaryAttr config = pinnedConfig;
      std::string error;
      if (!config)
        config = configFor(op, *strategy, *problem, target);
      else if (failed(strategy->verifyConfig(*problem, config, error))) {
        op->emitError() << "pinned config " << config
                        << " is invalid for GPU strategy '" << strategy->name()
                        << "': " << error;
        return FormOutcome::Failed;
      }
      return emitWith(rewriter, op, *strategy, *problem, config);
    }
    op->emitError() << "pinned GPU strategy '"
                    << (pinnedName ? pinnedName.getValue() : StringRef("<any>"))
                    << "' is not a registered strategy that matches this op";
    return FormOutcome::Failed;
  }

  StrategyMatch match = matchStrategy(op, registry, target, whyNot);
  if (!match.strategy)
    return FormOutcome::NoStrategy;
  return emitWith(rewriter, op, *match.strategy, *match.problem,
                  configFor(op, *match.strategy, *match.problem, target));
}

StrategyMatch matchStrategy(Operation *op, const StrategyRegistry &registry,
                            const GpuTarget &target, std::string &whyNot) {
  llvm::raw_string_ostream reasons(whyNot);
  bool first = true;
  for (const auto &strategy : registry.strategies()) {
    std::string reason;
    std::unique_ptr<KernelProblem> problem;
    if (strategy->supportsTarget(target, reason))
      problem = strategy->match(op, reason);
    if (problem && !strategy->accepts(*problem, target, reason))
      problem.reset();
    if (problem)
      return {strategy.get(), std::move(problem)};
    // Strategies that do not handle this kind of op at all stay silent.
    if (reason.empty())
      continue;
    reasons << (first ? "" : "; ") << strategy->name() << ": " << reason;
    first = false;
  }
  return {};
}

DictionaryAttr configFor(Operation *op, const KernelStrategy &strategy,
                         const KernelProblem &problem, const GpuTarget &target) {
  if (target.tuning) {
    TuningKey key{target.chip, strategy.name().str(), strategy.version(), problemKey(op)};
    if (const TuningEntry *entry = target.tuning->lookup(key)) {
      DictionaryAttr tuned = toConfigAttr(op->getContext(), entry->config);
      std::string error;
      if (succeeded(strategy.verifyConfig(problem, tuned, error)))
        return tuned;
      op->emitWarning() << "tuned config " << tuned << " from '" << target.tuning->path()
                        << "' is invalid for GPU strategy '" << strategy.name() << "' ("
                        << error << "); using the heuristic's";
    }
  }
  return strategy.chooseConfig(problem, target);
}

std::vector<DictionaryAttr> validCandidates(const KernelStrategy &strategy,
                                            const KernelProblem &problem,
                                            const GpuTarget &target,
                                            ArrayRef<DictionaryAttr> proposed) {
  std::vector<DictionaryAttr> result = {strategy.chooseConfig(problem, target)};
  for (DictionaryAttr config : proposed) {
    std::string error;
    if (!llvm::is_contained(result, config) &&
        succeeded(strategy.verifyConfig(problem, config, error)))
      result.push_back(config);
  }
  return result;
}

std::optional<int64_t> configInt(DictionaryAttr config, StringRef key) {
  if (!config)
    return std::nullopt;
  if (auto value = config.getAs<IntegerAttr>(key))
    return value.getInt();
  return std::nullopt;
}

DictionaryAttr makeConfig(MLIRContext *context,
                          ArrayRef<std::pair<StringRef, int64_t>> entries) {
  Builder b(context);
  SmallVector<NamedAttribute> attrs;
  for (auto [key, value] : entries)
    attrs.push_back(b.getNamedAttr(key, b.getI64IntegerAttr(value)));
  return b.getDictionaryAttr(attrs);
}

LogicalResult checkConfigKeys(DictionaryAttr config, ArrayRef<StringRef> keys,
                              std::string &error) {
  for (StringRef key : keys) {
    std::optional<int64_t> value = configInt(config, key);
    if (!value || *value <= 0) {
      error = "needs a positive integer '" + key.str() + "'";
      return failure();
    }
  }
  for (NamedAttribute entry : config)
    if (!llvm::is_contained(keys, entry.getName().getValue())) {
      error = "unknown key '" + entry.getName().getValue().str() + "'";
      return failure();
    }
  return success();
}

} // namespace axon::gpu_kernels

namespace axon::gpu_kernels {

DictionaryAttr threadsConfig(MLIRContext *context, int64_t threads) {
  return makeConfig(context, {{"threads", threads}});
}

LogicalResult verifyThreadsConfig(DictionaryAttr config, std::string &error) {
  if (failed(checkConfigKeys(config, {"threads"}, error)))
    return failure();
  if (*configInt(config, "threads") > 1024) {
    error = "at most 1024 threads";
    return failure();
  }
  return success();
}

} // namespace axon::gpu_kernels
