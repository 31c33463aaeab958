//===- axon-translate.cpp - Axon's translations in and out of MLIR --------===//
//
//   --import-onnx       ONNX model (binary or text format) -> axon IR
//   --onnx-op-types     the operator types an ONNX model uses, one per line
//   --axon-to-ptx       axon IR -> the PTX of every kernel (axon-to-nvvm)
//   --mlir-to-llvmir    LLVM-dialect IR -> LLVM IR (upstream)
//
//===----------------------------------------------------------------------===//

#include "axon/Pipelines/Pipelines.h"
#include "axon/Registration/Registration.h"
#include "axon/Support/InputGuards.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "axon/Support/CommandLine.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#ifdef AXON_HAS_ONNX
#include "axon/Frontend/ONNX/Importer.h"
#endif

namespace mlir {
void registerToLLVMIRTranslation();
} // namespace mlir

// Options are created by the tool's main (function-local statics), so that
// tools linked into one binary do not register each other's options.
static llvm::cl::OptionCategory &axonCategory() {
  static llvm::cl::OptionCategory category("Axon options");
  return category;
}
#ifdef AXON_HAS_ONNX
static llvm::cl::list<std::string> &onnxInputShapes() {
  static llvm::cl::list<std::string> option(
      "onnx-input-shape",
      llvm::cl::desc("name=d0,d1,...: fix the shape of an ONNX graph input (--import-onnx)"),
      llvm::cl::cat(axonCategory()));
  return option;
}

/// The buffer and name of the translation's input.
static std::pair<llvm::StringRef, llvm::StringRef> mainBuffer(const llvm::SourceMgr &mgr) {
  const llvm::MemoryBuffer *buffer = mgr.getMemoryBuffer(mgr.getMainFileID());
  return {buffer->getBuffer(), buffer->getBufferIdentifier()};
}

/// ONNX's text format starts with '<' (the model header); protobuf never does.
static bool looksLikeText(llvm::StringRef bytes) {
  return bytes.ltrim().starts_with("<");
}
#endif

static llvm::cl::opt<std::string> &ptxChip() {
  static llvm::cl::opt<std::string> option(
      "ptx-chip", llvm::cl::init("sm_90a"),
      llvm::cl::desc("GPU architecture for --axon-to-ptx"), llvm::cl::cat(axonCategory()));
  return option;
}

static llvm::cl::opt<bool> &ptxAllowTf32() {
  static llvm::cl::opt<bool> option(
      "ptx-allow-tf32",
      llvm::cl::desc("Run f32 matmuls on the TF32 tensor cores (--axon-to-ptx)"),
      llvm::cl::cat(axonCategory()));
  return option;
}

/// Compiles `op` with axon-to-nvvm (PTX output) and prints each kernel's PTX.
static llvm::LogicalResult translateToPtx(mlir::Operation *op, llvm::raw_ostream &os) {
  auto module = llvm::dyn_cast<mlir::ModuleOp>(op);
  if (!module)
    return op->emitError("--axon-to-ptx expects a builtin.module");
  if (!axon::isValidGpuChip(ptxChip()))
    return mlir::emitError(op->getLoc()) << "--ptx-chip='" << ptxChip()
                           << "' is not a GPU architecture (expected e.g. sm_90a, sm_80)";
  mlir::PassManager pm(op->getContext());
  axon::AxonToNVVMOptions options;
  options.chip = ptxChip();
  options.allowTf32 = ptxAllowTf32();
  options.format = "isa";
  axon::buildAxonToNVVMPipeline(pm, options);
  if (mlir::failed(pm.run(module)))
    return mlir::failure();
  bool any = false;
  module.walk([&](mlir::gpu::BinaryOp binary) {
    for (mlir::Attribute attr : binary.getObjects()) {
      auto object = llvm::cast<mlir::gpu::ObjectAttr>(attr);
      os << "// axon kernel module @" << binary.getName() << "\n"
         << object.getObject().getValue() << "\n";
      any = true;
    }
  });
  if (!any)
    return mlir::emitError(module.getLoc(),
                           "--axon-to-ptx: the program produced no GPU kernel (it "
                           "computes nothing on tensor data)");
  return mlir::success();
}

/// Refuses textual IR inputs that would crash MLIR's parser (the
/// translation driver parses them itself). ONNX inputs are binary and
/// are checked by the importer instead.
static bool inputsAreSafe(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (llvm::StringRef(argv[i]).contains("onnx"))
      return true;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg.starts_with("-") || !llvm::sys::fs::is_regular_file(arg))
      continue;
    auto file = llvm::MemoryBuffer::getFile(arg);
    if (!file)
      continue;
    if (auto hazard = axon::findTextualIRHazard((*file)->getBuffer())) {
      llvm::errs() << arg << ": error: " << *hazard << "\n";
      return false;
    }
  }
  return true;
}

int axonTranslateMain(int argc, char **argv) {
  if (!inputsAreSafe(argc, argv))
    return 1;
  ptxChip();
  ptxAllowTf32();
#ifdef AXON_HAS_ONNX
  onnxInputShapes();
#endif
  mlir::registerToLLVMIRTranslation();
  mlir::TranslateFromMLIRRegistration toPtx(
      "axon-to-ptx", "Compile axon IR for NVIDIA GPUs and print the PTX of every kernel",
      translateToPtx,
      [](mlir::DialectRegistry &registry) { axon::registerAllDialects(registry); });
#ifdef AXON_HAS_ONNX
  mlir::TranslateToMLIRRegistration importOnnx(
      "import-onnx", "Import an ONNX model into the axon dialect",
      [](const std::shared_ptr<llvm::SourceMgr> &mgr,
         mlir::MLIRContext *context) -> mlir::OwningOpRef<mlir::Operation *> {
        axon::onnx_frontend::ImportOptions options;
        for (const std::string &spec : onnxInputShapes()) {
          std::string error;
          if (!axon::onnx_frontend::parseInputShape(spec, options, error)) {
            mlir::emitError(mlir::UnknownLoc::get(context)) << error;
            return nullptr;
          }
        }
        auto [bytes, name] = mainBuffer(*mgr);
        auto module = axon::onnx_frontend::importModel(
            bytes, looksLikeText(bytes), name, llvm::sys::path::parent_path(name),
            context, options);
        return mlir::OwningOpRef<mlir::Operation *>(module.release());
      },
      [](mlir::DialectRegistry &registry) { axon::registerAllDialects(registry); });
  mlir::TranslateRegistration listOps(
      "onnx-op-types", "Print the operator types an ONNX model uses",
      [](const std::shared_ptr<llvm::SourceMgr> &mgr, llvm::raw_ostream &os,
         mlir::MLIRContext *context) -> llvm::LogicalResult {
        auto [bytes, name] = mainBuffer(*mgr);
        (void)bytes;
        auto types = axon::onnx_frontend::listOperatorTypes(name, context);
        for (const std::string &t : types)
          os << t << "\n";
        return llvm::success(!types.empty());
      });
#endif
  // LLVM's and MLIR's static options go behind --help-hidden; the
  // translation driver's own (registered inside mlirTranslateMain) and ours
  // stay in --help.
  axon::hideForeignOptions({&axonCategory()});
  return mlir::failed(mlir::mlirTranslateMain(argc, argv, "Axon translation driver\n"));
}

#ifndef AXON_MULTICALL
int main(int argc, char **argv) { return axonTranslateMain(argc, argv); }
#endif
