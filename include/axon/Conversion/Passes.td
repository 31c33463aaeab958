//===- Passes.td - Axon conversion passes ------------------*- tablegen -*-===//

#ifndef AXON_CONVERSION_PASSES_TD
#define AXON_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertAxonToLinalg : Pass<"convert-axon-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Lower every axon op to linalg, tensor, arith and math";
  let description = [{
    Rewrites each axon op into named linalg ops where they exist (matmul,
    batch_matmul, conv_2d_nchw_fchw, conv_2d_ngchw_gfchw, pooling_nchw_max/sum,
    transpose, reduce, fill), linalg.generic otherwise, tensor ops for
    reshape/slice/pad/concat and math for transcendental functions. Dynamic
    dimensions are read with tensor.dim. Attention is first decomposed into
    axon ops. An op that cannot be lowered gets an error naming it, its types
    and the reason, and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

def AxonFuseElementwiseLinalg
    : Pass<"axon-fuse-elementwise-linalg", "::mlir::func::FuncOp"> {
  let summary = "Fuse producer/consumer elementwise linalg ops, with a bound on body size";
  let description = [{
    Upstream's elementwise fusion (`linalg-fuse-elementwise-ops`: producers
    with one use fused into their consumers, reshapes folded by expansion,
    canonicalization), except that a fusion whose combined body would exceed
    `max-body-ops` operations is skipped. Each fusion copies the producer's
    body, so a chain of N elementwise ops fused into one kernel costs O(N^2)
    compile time; the bound keeps long chains linear (a new kernel every
    `max-body-ops` ops) and leaves ordinary programs unchanged. A producer
    is not fused into a consumer that reads it through a non-permutation map
    (a matmul operand, a broadcast): its elements would be recomputed once
    per read. Reshapes are not propagated through ops with reductions, so a
    matmul keeps one M and one N dimension.
  }];
  let options = [
    Option<"maxBodyOps", "max-body-ops", "int64_t", /*default=*/"512",
           "Largest fused body, in operations">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect"];
}

//===----------------------------------------------------------------------===//
// GPU kernel formation
//===----------------------------------------------------------------------===//

def ConvertAxonToGPUKernels
    : Pass<"convert-axon-to-gpu-kernels", "::mlir::func::FuncOp"> {
  let summary = "Form GPU kernels for axon ops through the registered strategies";
  let description = [{
    Decomposes `axon.attention` into its parts, then offers each axon op that
    needs a kernel of its own (matmul, conv2d, pooling, reductions, softmax
    and norms, transpose, ...) to the registered strategies, highest priority
    first. The first that matches replaces the op by its kernel(s): `gpu.launch`
    on buffers (`to_buffer` operands, a `memref.alloc` result wrapped by
    `to_tensor`) tagged with the strategy's label (`axon.strategy`) and its
    configuration (`axon.config`, a dictionary of integers chosen for the
    target chip). Strategies: `row` (softmax, log_softmax, layer/rms norm),
    `matmul_wgmma` (f16/bf16 on sm_90a tensor cores: TMA, mbarriers and
    warpgroup MMA), `matmul_mma` (warp-level `mma.sync` on sm_80 and later:
    f16/bf16, and f32 as TF32 with `allow-tf32`), `matmul_tiled`, `conv_depthwise`, `conv_wgmma` (f16/bf16 on sm_90a: a
    window gather and the matmul_wgmma main loop), `conv_igemm` (implicit GEMM
    on the matmul main loop), `pool_direct`, `transpose` (tiled or vectorized copy),
    `reduce` (rows, columns, two-stage splits).

    An op may pin its strategy and configuration with the discardable
    attributes `axon.strategy = "<name>"` and `axon.config = {...}`; a pinned
    choice that does not apply is an error. Ops no strategy matches are left
    for the generic `loops` path; with `report-fallbacks` each gets a remark
    saying why every candidate strategy declined.

    With `tuning-cache=FILE` (written by `axon-tune`), an unpinned op whose
    problem the file lists for the target chip, strategy and strategy
    version gets the measured config instead of the heuristic's; an entry
    the strategy rejects is a warning and the heuristic's config is used.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90a\"",
           "The GPU the configurations are chosen for">,
    Option<"reportFallbacks", "report-fallbacks", "bool", /*default=*/"false",
           "Emit a remark for each op that falls back to a generic loops kernel">,
    Option<"allowTf32", "allow-tf32", "bool", /*default=*/"false",
           "Run f32 matmuls on the TF32 tensor cores (10-bit mantissa "
           "products, f32 accumulation); off keeps them exact on FMA units">,
    Option<"tuningCache", "tuning-cache", "std::string", /*default=*/"\"\"",
           "A tuning cache file written by axon-tune: measured configs replace "
           "the heuristic's for the problems it lists">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect", "::mlir::nvgpu::NVGPUDialect",
    "::mlir::NVVM::NVVMDialect"
  ];
}

def AxonGPUElementwiseKernels
    : Pass<"axon-gpu-elementwise-kernels", "::mlir::func::FuncOp"> {
  let summary = "Form vectorized GPU kernels for fused elementwise linalg.generic ops";
  let description = [{
    Offers each `linalg.generic` on tensors to the strategies (the
    `elementwise` strategy matches all-parallel generics whose result is
    indexed by the identity and whose operands are indexed by loop dims or
    broadcast (constant 0) dims): one `gpu.launch` in which every thread
    computes `vec` consecutive elements with vector loads and stores
    (`elementwise_vec4` when the innermost size is a multiple of 4 and no
    operand is boolean, else `elementwise_vec1`), the body re-emitted on
    vectors. With `report-fallbacks`, each generic it cannot form gets a
    remark (ops lowered from axon ops are reported by
    `convert-axon-to-gpu-kernels`, which names the axon op).
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90a\"",
           "The GPU the configurations are chosen for">,
    Option<"reportFallbacks", "report-fallbacks", "bool", /*default=*/"false",
           "Emit a remark for each op that falls back to a generic loops kernel">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def AxonGPUCopiesAsKernels
    : Pass<"axon-gpu-copies-as-kernels", "::mlir::func::FuncOp"> {
  let summary = "Make host memref.copy a linalg.copy (a kernel after mapping)";
  let description = [{
    Bufferization copies slices (concat, pad, insert_slice) with
    `memref.copy`; on the GPU those must be kernels, not host copies.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def AxonGPUSerialLoopsAsKernels
    : Pass<"axon-gpu-serial-loops-as-kernels", "::mlir::func::FuncOp"> {
  let summary = "Run host loop nests that touch tensor data as one-thread kernels";
  let description = [{
    After `convert-linalg-to-parallel-loops`, an op with no parallel dimension
    (a reduction to a scalar) is a plain `scf.for` nest on the host. Its data
    is on the device, so the nest is wrapped in a one-iteration `scf.parallel`
    that becomes a single-thread kernel: correct, not fast (such reductions
    have no dedicated strategy yet).
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def AxonGPUDeviceMemory : Pass<"axon-gpu-device-memory", "::mlir::ModuleOp"> {
  let summary = "Put every host buffer in device memory";
  let description = [{
    Runs after kernels are mapped: host `memref.alloc` becomes `gpu.alloc`,
    each constant (`memref.get_global`) is replaced by its device copy, which
    the runtime uploads once (`axonDeviceConstant_<i>`, a C-interface call,
    cached until the kernels are unloaded), and buffers that are not returned
    are freed
    (`gpu.dealloc`) before the function returns. Kernels from the generic
    loop path get `axon.strategy = "loops"`. Host code that still loads or
    stores tensor elements is reported as an error naming the op.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect"];
}

def AxonGPUKernelTable : Pass<"axon-gpu-kernel-table", "::mlir::ModuleOp"> {
  let summary = "Record every kernel's strategy, config, FLOPs and bytes on the module";
  let description = [{
    Runs once kernels are formed and named: the module gets `axon.kernels`,
    a dictionary from each kernel's symbol name to `{strategy, config, flops,
    bytes}`. FLOPs and bytes are those the strategy recorded from the op it
    formed the kernel for (`axon.flops`, `axon.bytes`; see OpCost.h);
    kernels without them (loop nests, helpers) count the static device
    buffers they use as bytes, and `flops = -1` (unknown). The per-launch
    attributes are removed once recorded. The attribute
    stays on the module through code generation and the compile cache, so
    `axon-run --profile` can divide each kernel's time by its work.
  }];
}

def AxonGPUModulesToBinaries
    : Pass<"axon-gpu-modules-to-binaries", "::mlir::ModuleOp"> {
  let summary = "Serialize every gpu.module to a gpu.binary, the modules in parallel";
  let description = [{
    What upstream's `gpu-module-to-binary` does (each `gpu.module` becomes a
    `gpu.binary` holding one object per target attribute), except that the
    modules are compiled concurrently on the context's thread pool: the NVPTX
    back end and `ptxas` run once per kernel module, and a model has hundreds
    of them. Objects are created and the IR is rewritten afterwards, on one
    thread, in module order, so the output does not depend on scheduling.
    A module that fails is reported by name and fails the pass.
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"isa\"",
           "Object format: isa (PTX), bin (cubin), fatbin or llvm (offload)">,
    Option<"toolkit", "toolkit", "std::string", /*default=*/"\"\"",
           "CUDA toolkit directory (ptxas, libdevice)">
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

//===----------------------------------------------------------------------===//
// CPU code generation
//===----------------------------------------------------------------------===//

def AxonCPUVectorizeContractions
    : Pass<"axon-cpu-vectorize-contractions", "::mlir::func::FuncOp"> {
  let summary = "Tile matmul-like linalg ops into threaded blocks and register tiles of FMAs";
  let description = [{
    Each linalg op on tensors that is a contraction with one M, one N and one
    K dimension (matmul, batch_matmul, and generic contractions whose N
    dimension is the fastest-varying one of the right operand and of the
    result) is tiled in three levels with MLIR's TilingInterface:

    - `scf.forall` over blocks of `block-m` x `block-n` outputs (the threads,
      once lowered to OpenMP; one block per batch element);
    - `scf.for` over register tiles of `8` x `2 * vector-bits / 32` outputs
      (N outer, M inner, so a panel of the right operand stays in cache),
      peeled so that full tiles have static shapes;
    - `scf.for` over K, one step each, vectorized to a `vector.contract`
      that lowers to one outer product of FMAs; the accumulator tile is
      hoisted out of the K loop (`hoistLoopInvariantSubsets`), so it lives in
      vector registers for the whole reduction.

    Static f32 `conv_2d_nchw_fchw` ops are first rewritten (`im2col`) into a
    gather of input windows (affine indexing, no gather for an unstrided 1x1
    convolution) and a `linalg.contract`, and multiply-accumulate
    `linalg.generic` contractions into `linalg.contract`, so that their
    register tiles vectorize to `vector.contract` like the named matmuls.
    Partial tiles at the edges are vectorized with masks. Ops of other shapes
    (or with element types other than f32) are left for the loop lowering.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"512",
           "Width of the target's vector registers (512 for AVX-512, 256 for AVX2)">,
    Option<"blockM", "block-m", "int64_t", /*default=*/"64",
           "Rows of the output per thread block">,
    Option<"blockN", "block-n", "int64_t", /*default=*/"256",
           "Columns of the output per thread block">,
    Option<"im2col", "im2col", "bool", /*default=*/"true",
           "Rewrite static f32 conv_2d_nchw_fchw as a window gather and a contraction first">
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect",
                           "::mlir::tensor::TensorDialect", "::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect"];
}

def AxonCPUParallelizeOps : Pass<"axon-cpu-parallelize-ops", "::mlir::func::FuncOp"> {
  let summary = "Split the outer parallel loops of linalg ops into scf.forall tasks";
  let description = [{
    Each linalg op on tensors that is not already inside a loop (the matmul
    path tiles its own) and does at least `2 * min-task-work` loop
    iterations is tiled with MLIR's TilingInterface into an `scf.forall` of
    at most `max-tasks` tasks along its outermost parallel dimensions, each
    task doing at least `min-task-work` iterations. Lowered to OpenMP, the
    tasks run on the CPU's threads; otherwise they become sequential loops.
    Windowed ops (pooling, depthwise convolutions) are generalized with
    their reduction loops outside the innermost parallel one, so that the
    loop the LLVM vectorizer sees walks a row of the output. A static
    `tensor.pad` by a constant becomes a `linalg.fill` of the padded tensor
    and a `linalg.copy` into its interior (written in place once
    bufferized), which are split into tasks like the rest.
  }];
  let options = [
    Option<"minTaskWork", "min-task-work", "int64_t", /*default=*/"16384",
           "Loop iterations below which a task is not worth a thread">,
    Option<"maxTasks", "max-tasks", "int64_t", /*default=*/"64",
           "Most tasks one op is split into">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect"];
}

#endif // AXON_CONVERSION_PASSES_TD
