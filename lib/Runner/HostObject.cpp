//===- HostObject.cpp - Host code as a relocatable object -----------------===//

#include "HostObject.h"
#include "HostRuntime.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ExecutionEngine/JITEventListener.h"
#include "llvm/ExecutionEngine/Orc/CompileUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <cstdlib>

using namespace mlir;

namespace axon {

static llvm::Error jitError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static void initializeNativeTarget() {
  static bool ready = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)ready;
}

/// Removes `listName` (llvm.global_ctors or llvm.global_dtors) and returns
/// the functions it named, by priority; they become external so that the
/// linked object can be asked for them.
static std::vector<std::string> takeStructors(llvm::Module &module,
                                              llvm::StringRef listName) {
  llvm::GlobalVariable *list = module.getNamedGlobal(listName);
  if (!list)
    return {};
  std::vector<std::pair<uint64_t, std::string>> entries;
  if (auto *array =
          llvm::dyn_cast_or_null<llvm::ConstantArray>(list->getInitializer()))
    for (llvm::Use &use : array->operands()) {
      auto *entry = llvm::dyn_cast<llvm::ConstantStruct>(use.get());
      if (!entry || entry->getNumOperands() < 2)
        continue;
      auto *priority = llvm::dyn_cast<llvm::ConstantInt>(entry->getOperand(0));
      auto *fn = llvm::dyn_cast<llvm::Function>(
          entry->getOperand(1)->stripPointerCasts());
      if (!priority || !fn)
        continue;
      if (!fn->hasName())
        fn->setName("axon_structor");
      fn->setLinkage(llvm::GlobalValue::ExternalLinkage);
      fn->setVisibility(llvm::GlobalValue::DefaultVisibility);
      entries.emplace_back(priority->getZExtValue(), fn->getName().str());
    }
  list->eraseFromParent();
  std::stable_sort(
      entries.begin(), entries.end(),
      [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (auto &entry : entries)
    names.push_back(std::move(entry.second));
  return names;
}

/// Adds `_mlir_<name>(void **args)` for every function defined with external
/// linkage: it loads argument i from *args[i], calls the function and stores
/// its result (if any) through args[number of arguments]. The runner calls
/// entries this way, whatever their arity.
static void addPackedWrappers(llvm::Module &module) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  std::vector<llvm::Function *> functions;
  for (llvm::Function &f : module)
    if (!f.isDeclaration() && f.hasExternalLinkage() &&
        !f.getName().starts_with("_mlir_"))
      functions.push_back(&f);
  for (llvm::Function *f : functions) {
    auto *type =
        llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false);
    auto *wrapper =
        llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                               "_mlir_" + f->getName(), module);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", wrapper));
    llvm::Value *slots = wrapper->getArg(0);
    llvm::SmallVector<llvm::Value *> args;
    for (auto [i, arg] : llvm::enumerate(f->args())) {
      llvm::Value *slot =
          b.CreateLoad(ptr, b.CreateConstGEP1_64(ptr, slots, i));
      args.push_back(b.CreateLoad(arg.getType(), slot));
    }
    llvm::CallInst *call = b.CreateCall(f, args);
    if (!f->getReturnType()->isVoidTy())
      b.CreateStore(call, b.CreateLoad(ptr, b.CreateConstGEP1_64(
                                                ptr, slots, f->arg_size())));
    b.CreateRetVoid();
  }
}

llvm::Error compileHostObject(ModuleOp module, unsigned optLevel,
                              const HostTarget *target,
                              CompiledProgram &program) {
  initializeNativeTarget();
  DialectRegistry translations;
  registerAllToLLVMIRTranslations(translations);
  module.getContext()->appendDialectRegistry(translations);

  HostTarget host;
  if (!target) {
    auto resolved = HostTarget::resolve("host");
    if (!resolved)
      return resolved.takeError();
    host = std::move(*resolved);
    target = &host;
  }
  // Without a target machine LLVM's cost model knows no vector registers
  // and the loop and SLP vectorizers do nothing.
  llvm::orc::JITTargetMachineBuilder machineBuilder{
      llvm::Triple(target->triple)};
  machineBuilder.setCPU(target->cpu);
  if (!target->features.empty())
    machineBuilder.addFeatures({target->features});
  machineBuilder.setCodeGenOptLevel(
      static_cast<llvm::CodeGenOptLevel>(optLevel));
  auto machine = machineBuilder.createTargetMachine();
  if (!machine)
    return machine.takeError();

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "axon-host");
  if (!llvmModule)
    return jitError("cannot translate the host code to LLVM IR");
  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());

  addPackedWrappers(*llvmModule);
  program.constructors = takeStructors(*llvmModule, "llvm.global_ctors");
  program.destructors = takeStructors(*llvmModule, "llvm.global_dtors");
  // Instruction selection reads the CPU from each function.
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", target->cpu);
    if (!target->features.empty())
      f.addFnAttr("target-features", target->features);
  }
  // Entry points are called through their packed wrappers (`_mlir_<name>`),
  // which pass every memref descriptor field as a scalar argument; inlined
  // into the wrapper, an entry with a thousand tensors no longer makes the
  // back end schedule a call with thousands of arguments (quadratic time).
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration() || f.getName().starts_with("_mlir_"))
      continue;
    llvm::Function *wrapper =
        llvmModule->getFunction(("_mlir_" + f.getName()).str());
    if (!wrapper || f.arg_size() < 64)
      continue;
    f.setLinkage(llvm::GlobalValue::InternalLinkage);
    f.addFnAttr(llvm::Attribute::AlwaysInline);
  }
  auto optimize =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, machine->get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return std::move(err);
  llvm::orc::SimpleCompiler compile(**machine);
  auto object = compile(*llvmModule);
  if (!object)
    return object.takeError();
  program.object = std::move(*object);
  return llvm::Error::success();
}

std::vector<std::string> undefinedSymbols(const CompiledProgram &program) {
  std::vector<std::string> names;
  auto object = llvm::object::ObjectFile::createObjectFile(
      program.object->getMemBufferRef());
  if (!object) {
    llvm::consumeError(object.takeError());
    return names;
  }
  for (const llvm::object::SymbolRef &symbol : (*object)->symbols()) {
    auto flags = symbol.getFlags();
    auto name = symbol.getName();
    if (flags && name && (*flags & llvm::object::SymbolRef::SF_Undefined))
      names.push_back(name->str());
    else {
      if (!flags)
        llvm::consumeError(flags.takeError());
      if (!name)
        llvm::consumeError(name.takeError());
    }
  }
  return names;
}

LinkedHost::~LinkedHost() {
  if (!jit)
    return;
  for (const std::string &name : destructors)
    if (auto address = jit->lookup(name))
      address->toPtr<void (*)()>()();
    else
      llvm::consumeError(address.takeError());
}

llvm::Expected<std::unique_ptr<LinkedHost>>
LinkedHost::link(const CompiledProgram &program,
                 llvm::ArrayRef<cuda::RuntimeSymbol> symbols) {
  if (!program.object)
    return jitError("no host object to link");
  initializeNativeTarget();
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  llvm::orc::LLJITBuilder builder;
  builder.setJITTargetMachineBuilder(std::move(*machineBuilder));
  // AXON_PERF_JIT=1 names JIT'd functions for `perf record -k 1` + `perf
  // inject --jit` where LLVM was built with perf support.
  bool perf = std::getenv("AXON_PERF_JIT") != nullptr;
  builder.setObjectLinkingLayerCreator(
      [perf](llvm::orc::ExecutionSession &session) {
        auto layer = std::make_unique<llvm::orc::RTDyldObjectLinkingLayer>(
            session, [](const llvm::MemoryBuffer &) {
              return std::make_unique<llvm::SectionMemoryManager>();
            });
        if (perf)
          if (llvm::JITEventListener *listener =
                  llvm::JITEventListener::createPerfJITEventListener())
            layer->registerJITEventListener(*listener);
        return layer;
      });
  // Initializers are run by name below, not by an ORC platform.
  builder.setPlatformSetUp(llvm::orc::setUpInactivePlatform);
  auto jit = builder.create();
  if (!jit)
    return jit.takeError();

  llvm::orc::MangleAndInterner interner((*jit)->getExecutionSession(),
                                        (*jit)->getDataLayout());
  llvm::orc::SymbolMap map = hostRuntimeSymbols(interner);
  for (const ProgramConstant &c : program.constants)
    map[interner(c.symbol)] = {llvm::orc::ExecutorAddr::fromPtr(c.data),
                               llvm::JITSymbolFlags::Exported};
  for (const cuda::RuntimeSymbol &s : symbols)
    map[interner(s.name)] = {llvm::orc::ExecutorAddr::fromPtr(s.address),
                             llvm::JITSymbolFlags::Exported};
  if (llvm::Error err = (*jit)->getMainJITDylib().define(
          llvm::orc::absoluteSymbols(std::move(map))))
    return std::move(err);
  if (llvm::Error err = (*jit)->addObjectFile(
          llvm::MemoryBuffer::getMemBuffer(program.object->getMemBufferRef(),
                                           /*RequiresNullTerminator=*/false)))
    return std::move(err);

  std::unique_ptr<LinkedHost> linked(new LinkedHost());
  linked->jit = std::move(*jit);
  for (const std::string &name : program.constructors) {
    auto address = linked->jit->lookup(name);
    if (!address)
      return address.takeError();
    address->toPtr<void (*)()>()();
  }
  // Set only now: a failed link runs no destructor of what never started.
  linked->destructors = program.destructors;
  return linked;
}

llvm::Expected<void (*)(void **)>
LinkedHost::lookupPacked(llvm::StringRef name) {
  auto address = jit->lookup(("_mlir_" + name).str());
  if (!address)
    return address.takeError();
  return address->toPtr<void (*)(void **)>();
}

} // namespace axon
