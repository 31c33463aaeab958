//===- DeviceMemory.cpp - Keep tensor data in GPU memory ------------------===//
//
// After kernels are formed, host code only allocates, copies and launches.
// This pass makes every host-side buffer a device buffer: allocations become
// gpu.alloc, constants are copied to the device where they are used, and
// buffers that do not leave the function are freed before it returns
// (the caller owns returned buffers). Host code that would read or write
// tensor data directly is an error: that data lives on the GPU.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "axon/Support/GpuAbi.h"
#include "axon/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

namespace axon {
#define GEN_PASS_DEF_AXONGPUCOPIESASKERNELS
#define GEN_PASS_DEF_AXONGPUDEVICEMEMORY
#define GEN_PASS_DEF_AXONGPUSERIALLOOPSASKERNELS
#include "axon/Conversion/Passes.h.inc"
} // namespace axon

using namespace mlir;

namespace axon {
namespace {

using abi::kDeviceConstantPrefix;

bool inKernel(Operation *op) { return op->getParentOfType<gpu::LaunchOp>() != nullptr; }

/// The buffer a view was taken from.
Value rootBuffer(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

struct CopiesAsKernels
    : public impl::AxonGPUCopiesAsKernelsBase<CopiesAsKernels> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      if (!inKernel(copy))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(), copy.getTarget());
    }
  }
};

struct SerialLoopsAsKernels
    : public impl::AxonGPUSerialLoopsAsKernelsBase<SerialLoopsAsKernels> {
  void runOnOperation() override {
    // Loop nests and lone stores (rank-0 fills) directly in the function.
    SmallVector<Operation *> nests;
    for (Operation &op : getOperation().getBody().getOps()) {
      bool touchesMemory = isa<memref::StoreOp>(op);
      if (isa<scf::ForOp>(op))
        op.walk([&](Operation *inner) {
          touchesMemory |= isa<memref::LoadOp, memref::StoreOp>(inner);
        });
      if (touchesMemory)
        nests.push_back(&op);
    }
    for (Operation *loop : nests) {
      OpBuilder b(loop);
      Value zero = arith::ConstantIndexOp::create(b, loop->getLoc(), 0);
      Value one = arith::ConstantIndexOp::create(b, loop->getLoc(), 1);
      auto parallel = scf::ParallelOp::create(b, loop->getLoc(), ValueRange{zero},
                                              ValueRange{one}, ValueRange{one});
      // A lone store (a rank-0 op) computes its value from loads and scalar
      // ops just before it: they move into the kernel with it.
      SmallVector<Operation *> slice;
      if (isa<memref::StoreOp>(loop))
        collectScalarSlice(loop, slice);
      b.setInsertionPoint(parallel.getBody()->getTerminator());
      IRMapping mapping;
      for (Operation *op : slice)
        b.clone(*op, mapping);
      // Loops over buffers carry no values out (they store their results).
      loop->moveBefore(parallel.getBody()->getTerminator());
      for (OpOperand &operand : loop->getOpOperands())
        operand.set(mapping.lookupOrDefault(operand.get()));
      for (Operation *op : llvm::reverse(slice))
        if (op->use_empty())
          op->erase();
    }
  }

  /// The loads and side-effect-free scalar ops in `store`'s block that its
  /// operands are computed from, in order.
  static void collectScalarSlice(Operation *store, SmallVectorImpl<Operation *> &slice) {
    llvm::SetVector<Operation *> found;
    SmallVector<Value> work(store->getOperands());
    while (!work.empty()) {
      Operation *def = work.pop_back_val().getDefiningOp();
      if (!def || def->getBlock() != store->getBlock() || found.contains(def) ||
          def->getNumRegions() != 0 || isa<arith::ConstantOp>(def))
        continue;
      bool scalarOp = isa<memref::LoadOp>(def) || isMemoryEffectFree(def);
      bool producesScalars = llvm::all_of(def->getResultTypes(), [](Type t) {
        return t.isIntOrIndexOrFloat();
      });
      if (!scalarOp || !producesScalars)
        continue;
      found.insert(def);
      work.append(def->operand_begin(), def->operand_end());
    }
    slice.assign(found.begin(), found.end());
    llvm::sort(slice, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  }
};

struct DeviceMemory : public impl::AxonGPUDeviceMemoryBase<DeviceMemory> {
  /// `axonDeviceConstant_<i>(host, bytes, rank) -> device`, one declaration
  /// per memref type, all served by the runtime's one C-interface function.
  func::FuncOp deviceConstantFunction(MemRefType type) {
    ModuleOp module = getOperation();
    Builder b(module.getContext());
    auto fnType = b.getFunctionType({type, b.getIndexType(), b.getIndexType()}, {type});
    for (auto fn : module.getOps<func::FuncOp>())
      if (fn.getSymName().starts_with(kDeviceConstantPrefix) && fn.getFunctionType() == fnType)
        return fn;
    unsigned index = 0;
    while (module.lookupSymbol((llvm::Twine(kDeviceConstantPrefix) + llvm::Twine(index)).str()))
      ++index;
    OpBuilder moduleBuilder(module.getBodyRegion());
    moduleBuilder.setInsertionPointToStart(module.getBody());
    auto fn = func::FuncOp::create(moduleBuilder, module.getLoc(),
                                   (llvm::Twine(kDeviceConstantPrefix) + llvm::Twine(index)).str(), fnType);
    fn.setPrivate();
    fn->setAttr("llvm.emit_c_interface", b.getUnitAttr());
    return fn;
  }

  void runOnOperation() override {
    SmallVector<func::FuncOp> funcs;
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal())
        funcs.push_back(func);
    for (func::FuncOp func : funcs)
      if (failed(runOnFunction(func)))
        return signalPassFailure();
  }

  LogicalResult runOnFunction(func::FuncOp func) {
    IRRewriter rewriter(&getContext());
    SmallVector<Value> owned;

    // Host code may only manage buffers; tensor data is on the device.
    WalkResult bad = func.walk([&](Operation *op) {
      if (inKernel(op) || !isa<memref::LoadOp, memref::StoreOp, memref::CopyOp>(op))
        return WalkResult::advance();
      op->emitError() << "'" << op->getName()
                      << "' accesses tensor data on the host; on the GPU that data "
                         "lives in device memory and no kernel was formed for it";
      return WalkResult::interrupt();
    });
    if (bad.wasInterrupted())
      return failure();

    SmallVector<Operation *> allocs, globals, deallocs;
    func.walk([&](Operation *op) {
      if (inKernel(op))
        return;
      if (isa<memref::AllocOp, memref::AllocaOp>(op))
        allocs.push_back(op);
      else if (isa<memref::GetGlobalOp>(op))
        globals.push_back(op);
      else if (isa<memref::DeallocOp>(op))
        deallocs.push_back(op);
    });
    for (Operation *op : allocs) {
      rewriter.setInsertionPoint(op);
      auto type = cast<MemRefType>(op->getResult(0).getType());
      auto create = [&](auto host) {
        return gpu::AllocOp::create(rewriter, op->getLoc(), type, Type(), ValueRange{},
                                    host.getDynamicSizes(), host.getSymbolOperands());
      };
      auto alloc = isa<memref::AllocOp>(op) ? create(cast<memref::AllocOp>(op))
                                            : create(cast<memref::AllocaOp>(op));
      rewriter.replaceOp(op, alloc.getMemref());
      owned.push_back(alloc.getMemref());
    }
    // Constants: the runtime uploads each one once and returns its device
    // copy (cached until the kernels' module is unloaded), so repeated calls
    // do not copy them again.
    // Host uses (shapes that memref.reshape reads) keep the host global;
    // uses inside kernels and buffers returned to the caller get the copy.
    for (Operation *op : globals) {
      auto get = cast<memref::GetGlobalOp>(op);
      auto needsDeviceCopy = [](OpOperand &use) {
        if (inKernel(use.getOwner()) || isa<func::ReturnOp>(use.getOwner()))
          return true;
        // A view of the constant (not, e.g., the shape operand of a reshape).
        auto view = dyn_cast<ViewLikeOpInterface>(use.getOwner());
        return view && view.getViewSource() == use.get() &&
               use.getOperandNumber() == 0;
      };
      if (llvm::none_of(get->getUses(), needsDeviceCopy))
        continue;
      rewriter.setInsertionPointAfter(get);
      func::FuncOp upload = deviceConstantFunction(get.getType());
      Type element = get.getType().getElementType();
      int64_t elementBytes =
          element.isIndex() ? 8 : std::max<int64_t>(1, (element.getIntOrFloatBitWidth() + 7) / 8);
      Value bytes = arith::ConstantIndexOp::create(
          rewriter, get.getLoc(), get.getType().getNumElements() * elementBytes);
      Value rank = arith::ConstantIndexOp::create(rewriter, get.getLoc(),
                                                  get.getType().getRank());
      auto call = func::CallOp::create(rewriter, get.getLoc(), upload,
                                       ValueRange{get.getResult(), bytes, rank});
      rewriter.replaceUsesWithIf(get.getResult(), call.getResult(0), [&](OpOperand &use) {
        return use.getOwner() != call && needsDeviceCopy(use);
      });
    }
    for (Operation *op : deallocs) {
      rewriter.setInsertionPoint(op);
      gpu::DeallocOp::create(rewriter, op->getLoc(), Type(), ValueRange{},
                             cast<memref::DeallocOp>(op).getMemref());
      rewriter.eraseOp(op);
    }

    // Free what does not escape through a return right after its last use
    // on the host (a launch, a view, a TMA descriptor built over it): all
    // work is ordered on one stream, so the memory may serve later launches
    // as soon as the last one that reads it is enqueued. That keeps the
    // runtime's pool and memory plan at the live set, not the sum.
    llvm::DenseSet<Value> escaping;
    func.walk([&](func::ReturnOp ret) {
      for (Value v : ret.getOperands())
        escaping.insert(rootBuffer(v));
    });
    for (Value buffer : owned) {
      if (escaping.contains(buffer))
        continue;
      Block *block = buffer.getParentBlock();
      llvm::SetVector<Operation *> derived;
      getForwardSlice(buffer, &derived);
      Operation *last = buffer.getDefiningOp();
      bool returned = false;
      for (Operation *user : derived) {
        Operation *ancestor = block->findAncestorOpInBlock(*user);
        returned |= isa<func::ReturnOp>(user);
        if (ancestor && last->isBeforeInBlock(ancestor))
          last = ancestor;
      }
      if (returned)
        continue;
      if (last->hasTrait<OpTrait::IsTerminator>())
        rewriter.setInsertionPoint(last);
      else
        rewriter.setInsertionPointAfter(last);
      gpu::DeallocOp::create(rewriter, buffer.getLoc(), Type(), ValueRange{}, buffer);
    }

    // Kernels from the generic loop path get their strategy name too, and
    // every kernel is named after its function, position and strategy so
    // that PTX, profiles and timings say which strategy ran.
    unsigned index = 0;
    func.walk([&](gpu::LaunchOp launch) {
      if (!launch->hasAttr(gpu_kernels::kStrategyAttr))
        launch->setAttr(gpu_kernels::kStrategyAttr, rewriter.getStringAttr(abi::kLoopsStrategy));
      std::string name = (func.getSymName() + "_k" + llvm::Twine(index++) + "_" +
                          launch->getAttrOfType<StringAttr>(gpu_kernels::kStrategyAttr)
                              .getValue())
                             .str();
      auto symbol = FlatSymbolRefAttr::get(rewriter.getContext(), name);
      launch.setModuleAttr(symbol);
      launch.setFunctionAttr(symbol);
    });
    return success();
  }
};

} // namespace
} // namespace axon
