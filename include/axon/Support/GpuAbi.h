//===- GpuAbi.h - Names shared by Axon's GPU compiler and runtime -*- C++
//-*-===//
//
// The compiler emits these names and the runtime (or a profiler, a tuner, a
// test) reads them back: keep both sides on one spelling. Header-only, no
// dependencies, so the LLVM-free CUDA runtime can include it.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_SUPPORT_GPUABI_H
#define AXON_SUPPORT_GPUABI_H

namespace axon::abi {

/// On each kernel (gpu.launch, later gpu.func): the strategy's label, which
/// also ends the kernel's symbol name `<function>_k<index>_<label>`.
constexpr const char *kStrategyAttr = "axon.strategy";
/// On each kernel: the strategy's configuration (a dictionary of integers).
/// On an axon op before kernel formation it pins that configuration.
constexpr const char *kConfigAttr = "axon.config";
/// On an axon op before kernel formation: pins the strategy by name.
constexpr const char *kPinnedStrategyAttr = "axon.strategy";
/// On a kernel's gpu.launch: the FLOPs and the compulsory bytes of the op
/// it was formed from (OpCost.h), for profiles. A strategy that forms
/// several kernels for one op puts them on its main kernel.
constexpr const char *kFlopsAttr = "axon.flops";
constexpr const char *kBytesAttr = "axon.bytes";
/// On a kernel's gpu.launch until the kernel table records it: the name of
/// the strategy that formed it (its label may add a variant or config).
constexpr const char *kFamilyAttr = "axon.family";
/// On the module, once kernels are formed: a dictionary from each kernel's
/// symbol name to {strategy (the label), family (the strategy's name),
/// config, flops, bytes} (flops -1 if unknown),
/// which survives to the executable for the runner's profile.
constexpr const char *kKernelTableAttr = "axon.kernels";
/// The strategy every op without a dedicated one falls back to.
constexpr const char *kLoopsStrategy = "loops";

/// Host functions the compiler declares to get a constant's device copy;
/// the suffix is an index, one declaration per memref type.
constexpr const char *kDeviceConstantPrefix = "axonDeviceConstant_";
/// The same functions' C-interface symbols that the runtime defines.
constexpr const char *kDeviceConstantSymbolPrefix =
    "_mlir_ciface_axonDeviceConstant_";

} // namespace axon::abi

#endif // AXON_SUPPORT_GPUABI_H
