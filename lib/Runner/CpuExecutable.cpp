//===- CpuExecutable.cpp - JIT-compiled entry points on the CPU -----------===//

#include "axon/Runner/CpuExecutable.h"
#include "HostAllocator.h"
#include "HostObject.h"
#include "HostRuntime.h"
#include "axon/Runner/MemRefABI.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <chrono>
#include <cstring>
#include <set>

using namespace mlir;

namespace axon {

static llvm::Error runError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
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

CpuExecutable::CpuExecutable(CompiledProgram program, std::unique_ptr<LinkedHost> host,
                             EntrySignature sig, void (*entry)(void **))
    : program(std::move(program)), host(std::move(host)), sig(std::move(sig)), entry(entry) {}

// The blocks kept for the next call are returned to the system with it.
CpuExecutable::~CpuExecutable() { trimHostBuffers(); }

llvm::Expected<std::unique_ptr<CpuExecutable>>
CpuExecutable::create(ModuleOp module, EntrySignature signature, unsigned optLevel,
                      LoadTimes *times, const HostTarget *target) {
  auto start = std::chrono::steady_clock::now();
  auto program = compileProgram(module, optLevel, target);
  if (!program)
    return runError("JIT compilation failed: " + llvm::toString(program.takeError()));
  double compileMs = msSince(start);
  auto exe = create(std::move(*program), std::move(signature), times);
  if (times)
    times->jitMs = compileMs;
  return exe;
}

llvm::Expected<std::unique_ptr<CpuExecutable>>
CpuExecutable::create(CompiledProgram program, EntrySignature signature, LoadTimes *times) {
  auto start = std::chrono::steady_clock::now();
  if (times) {
    times->externalConstants = program.constants.size();
    times->externalConstantBytes = program.constantBytes();
  }
  auto host = LinkedHost::link(program, {});
  if (!host)
    return runError("linking the compiled program failed: " +
                    llvm::toString(host.takeError()));
  auto entry = (*host)->lookupPacked(signature.name);
  if (!entry)
    return runError("cannot find @" + signature.name + " in the compiled program: " +
                    llvm::toString(entry.takeError()));
  if (times)
    times->linkMs = msSince(start);
  return std::unique_ptr<CpuExecutable>(
      new CpuExecutable(std::move(program), std::move(*host), std::move(signature), *entry));
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
  if (llvm::Error err = callCompiledEntry(entry, packed.data()))
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
