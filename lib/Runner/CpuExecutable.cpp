//===- CpuExecutable.cpp - JIT-compiled entry points on the CPU -----------===//

#include "axon/Runner/CpuExecutable.h"
#include "ExternalConstants.h"
#include "HostAllocator.h"
#include <cstdlib>
#include "HostRuntime.h"
#include "JitEngine.h"
#include "axon/Runner/MemRefABI.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <cstring>
#include <set>

#include <chrono>

using namespace mlir;

namespace axon {

static llvm::Error runError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<EntrySignature> findEntry(ModuleOp module, llvm::StringRef entry) {
  SmallVector<func::FuncOp> publicFuncs;
  func::FuncOp chosen;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    if (!entry.empty() ? func.getSymName() == entry : false)
      chosen = func;
    if (func.isPublic())
      publicFuncs.push_back(func);
  }
  auto available = [&] {
    std::string names;
    for (auto f : publicFuncs)
      names += (names.empty() ? "@" : ", @") + f.getSymName().str();
    return names.empty() ? std::string("none") : names;
  };
  if (entry.empty()) {
    if (publicFuncs.size() == 1)
      chosen = publicFuncs.front();
    else
      for (auto f : publicFuncs)
        if (f.getSymName() == "main")
          chosen = f;
    if (!chosen)
      return runError("cannot pick an entry function; pass --entry=<name> "
                      "(public functions: " + available() + ")");
  } else if (!chosen) {
    return runError("no function @" + entry + " in the module (public functions: " +
                    available() + ")");
  }

  EntrySignature sig;
  sig.name = chosen.getSymName().str();
  auto fnType = chosen.getFunctionType();
  for (auto [i, type] : llvm::enumerate(fnType.getInputs())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !dtypeFromType(tensor.getElementType()))
      return runError("@" + sig.name + " argument " + llvm::Twine(i) +
                      " has unsupported type; entry functions take ranked "
                      "tensors of f32, f64, f16, bf16, i1, i8, i32 or i64");
    sig.inputs.push_back(tensor);
    auto name = chosen.getArgAttrOfType<StringAttr>(i, "axon.name");
    sig.inputNames.push_back(name ? name.str() : "");
  }
  for (auto [i, type] : llvm::enumerate(fnType.getResults())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !dtypeFromType(tensor.getElementType()))
      return runError("@" + sig.name + " result " + llvm::Twine(i) +
                      " has unsupported type; entry functions return ranked "
                      "tensors of f32, f64, f16, bf16, i1, i8, i32 or i64");
    sig.results.push_back(tensor);
  }
  return sig;
}

ResultDescriptors::ResultDescriptors(const EntrySignature &sig) {
  int64_t total = 0;
  for (RankedTensorType type : sig.results) {
    ranks.push_back(type.getRank());
    total += descriptorWords(type.getRank());
  }
  words.assign(total, 0);
}

CpuExecutable::CpuExecutable(std::unique_ptr<ExternalConstants> constants,
                             std::unique_ptr<ExecutionEngine> engine, EntrySignature sig)
    : constants(std::move(constants)), engine(std::move(engine)), sig(std::move(sig)) {}

// The blocks kept for the next call are returned to the system with it.
CpuExecutable::~CpuExecutable() { trimHostBuffers(); }

llvm::Expected<std::unique_ptr<ExecutionEngine>>
createJitEngine(ModuleOp module, unsigned optLevel,
                llvm::ArrayRef<cuda::RuntimeSymbol> extraSymbols, const HostTarget *target) {
  static bool targetsReady = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)targetsReady;
  DialectRegistry translations;
  registerAllToLLVMIRTranslations(translations);
  module.getContext()->appendDialectRegistry(translations);

  ExecutionEngineOptions options;
  // AXON_PERF_JIT=1 names JIT'd functions for `perf record -k 1` + `perf
  // inject --jit` (a jitdump file), where LLVM was built with perf support
  // (Debian's LLVM 22 is not: there it does nothing).
  options.enablePerfNotificationListener = std::getenv("AXON_PERF_JIT") != nullptr;
  // Without a target machine LLVM's cost model knows no vector registers
  // and the loop and SLP vectorizers do nothing.
  HostTarget host;
  if (!target) {
    auto resolved = HostTarget::resolve("host");
    if (!resolved)
      return resolved.takeError();
    host = std::move(*resolved);
    target = &host;
  }
  llvm::orc::JITTargetMachineBuilder machineBuilder{llvm::Triple(target->triple)};
  machineBuilder.setCPU(target->cpu);
  if (!target->features.empty())
    machineBuilder.addFeatures({target->features});
  machineBuilder.setCodeGenOptLevel(static_cast<llvm::CodeGenOptLevel>(optLevel));
  auto machine = machineBuilder.createTargetMachine();
  if (!machine)
    return machine.takeError();
  std::shared_ptr<llvm::TargetMachine> targetMachine = std::move(*machine);
  auto optimize = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, targetMachine.get());
  std::string cpu = target->cpu, features = target->features;
  // Entry points are called through their packed wrappers (`_mlir_<name>`),
  // which pass every memref descriptor field as a scalar argument; inlined
  // into the wrapper, an entry with a thousand tensors no longer makes the
  // back end schedule a call with thousands of arguments (quadratic time).
  auto transformer = [optimize, targetMachine, cpu, features](llvm::Module *m) -> llvm::Error {
    // Instruction selection reads the CPU from each function.
    for (llvm::Function &f : *m) {
      if (f.isDeclaration())
        continue;
      f.addFnAttr("target-cpu", cpu);
      if (!features.empty())
        f.addFnAttr("target-features", features);
    }
    for (llvm::Function &f : *m) {
      if (f.isDeclaration() || f.getName().starts_with("_mlir_"))
        continue;
      llvm::Function *wrapper = m->getFunction(("_mlir_" + f.getName()).str());
      if (!wrapper || f.arg_size() < 64)
        continue;
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
      f.addFnAttr(llvm::Attribute::AlwaysInline);
    }
    return optimize(m);
  };
  options.transformer = transformer;
  options.jitCodeGenOptLevel = static_cast<llvm::CodeGenOptLevel>(optLevel);
  auto engine = ExecutionEngine::create(module, options);
  if (!engine)
    return runError("JIT compilation failed: " +
                    llvm::toString(engine.takeError()));
  (*engine)->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols = hostRuntimeSymbols(interner);
    for (const cuda::RuntimeSymbol &s : extraSymbols)
      symbols[interner(s.name)] = {llvm::orc::ExecutorAddr::fromPtr(s.address),
                                   llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  return std::move(*engine);
}

llvm::Expected<std::unique_ptr<CpuExecutable>>
CpuExecutable::create(ModuleOp module, EntrySignature signature,
                      unsigned optLevel, LoadTimes *times, const HostTarget *target) {
  auto start = std::chrono::steady_clock::now();
  auto constants = std::make_unique<ExternalConstants>(externalizeConstants(module));
  if (times) {
    times->externalConstants = constants->symbols.size();
    times->externalConstantBytes = constants->bytes;
  }
  auto engine = createJitEngine(module, optLevel, constants->symbols, target);
  if (!engine)
    return engine.takeError();
  // The JIT materializes on the first lookup: do it now, so that compile
  // time is not billed to the first call.
  if (auto entry = (*engine)->lookupPacked(signature.name); !entry)
    return entry.takeError();
  if (times)
    times->jitMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count();
  return std::unique_ptr<CpuExecutable>(
      new CpuExecutable(std::move(constants), std::move(*engine), std::move(signature)));
}

/// Copies a (possibly strided) memref view into a dense host tensor.
static void copyOut(const MemRefView &view, HostTensor &out) {
  size_t width = dtypeSize(out.dtype);
  const char *base = static_cast<const char *>(view.aligned) + view.offset * width;
  if (view.isContiguous()) {
    std::memcpy(out.data.data(), base, out.data.size());
    return;
  }
  int64_t rank = view.sizes.size(), n = out.numElements();
  SmallVector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      offset += index[d] * view.strides[d];
    std::memcpy(out.data.data() + i * width, base + offset * width, width);
    for (int64_t d = rank - 1; d >= 0 && ++index[d] == view.sizes[d]; --d)
      index[d] = 0;
  }
}

llvm::Expected<SmallVector<HostTensor>>
CpuExecutable::run(llvm::ArrayRef<HostTensor> inputs) {
  SmallVector<int64_t> argWords;
  std::set<const void *> inputBuffers;
  for (const HostTensor &input : inputs) {
    appendDescriptor(argWords, const_cast<char *>(input.data.data()), input.shape);
    inputBuffers.insert(input.data.data());
  }
  ResultDescriptors resultStorage(sig);
  SmallVector<void *> packed = packArguments(argWords, resultStorage.data());
  auto entry = engine->lookupPacked(sig.name);
  if (!entry)
    return runError("cannot run @" + sig.name + ": " + llvm::toString(entry.takeError()));
  if (llvm::Error err = callCompiledEntry(*entry, packed.data()))
    return runError("@" + sig.name + ": " + llvm::toString(std::move(err)));

  SmallVector<HostTensor> results;
  std::set<void *> released;
  for (auto [view, type] :
       llvm::zip(readDescriptors(resultStorage.words, resultStorage.ranks), sig.results)) {
    HostTensor out = HostTensor::zeros(*dtypeFromType(type.getElementType()), view.sizes);
    if (out.numElements() > 0)
      copyOut(view, out);
    results.push_back(std::move(out));
    // Results own fresh heap buffers (the deallocation pipeline clones
    // anything else); free each once, never an input's.
    if (view.allocated && !inputBuffers.count(view.allocated) &&
        released.insert(view.allocated).second)
      releaseHostBuffer(view.allocated);
  }
  return results;
}

} // namespace axon
