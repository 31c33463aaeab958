"""Rows for the strategy framework's kernels: transposes, a column reduction,
ResNet-50's convolution layers against cuDNN (TF32 off), a depthwise layer
and max pooling, each against torch eager and torch.compile, kernel time
against kernel time (see common.py)."""
import torch
import torch.nn.functional as F

from common import f32, record, run_axon, time_torch


def ttype(shape):
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"


def with_compile(fn, *args):
    return {"torch eager": time_torch(fn, *args),
            "torch.compile": time_torch(torch.compile(fn), *args)}


def transpose_2d():
    n = 8192
    x = f32(n, n)
    fn = lambda t: t.t().contiguous()
    mlir = f"""func.func @main(%x: {ttype((n, n))}) -> {ttype((n, n))} {{
  %0 = axon.transpose %x perm = [1, 0] : {ttype((n, n))}
  return %0 : {ttype((n, n))}
}}"""
    axon = run_axon("transpose_2d", mlir, [x.cpu().numpy()], fn(x).cpu().numpy(), "transpose",
                    0, 0)
    record("transpose 8192x8192 f32 [1,0]", "GB/s", 2 * 4 * n * n, axon, with_compile(fn, x))


def head_split():
    b, t, h, d = 8, 512, 12, 64
    x = f32(b, t, h, d)
    fn = lambda v: v.permute(0, 2, 1, 3).contiguous()
    mlir = f"""func.func @main(%x: {ttype((b, t, h, d))}) -> {ttype((b, h, t, d))} {{
  %0 = axon.transpose %x perm = [0, 2, 1, 3] : {ttype((b, t, h, d))}
  return %0 : {ttype((b, h, t, d))}
}}"""
    axon = run_axon("head_split", mlir, [x.cpu().numpy()], fn(x).cpu().numpy(), "permute", 0, 0)
    record("head split [8,512,12,64]->[8,12,512,64] f32", "GB/s", 2 * 4 * x.numel(), axon,
           with_compile(fn, x))


def column_sum():
    n = 8192
    x = f32(n, n)
    fn = lambda t: t.sum(0)
    mlir = f"""func.func @main(%x: {ttype((n, n))}) -> {ttype((n,))} {{
  %0 = axon.reduce_sum %x axes = [0] : {ttype((n, n))}
  return %0 : {ttype((n,))}
}}"""
    ref = x.double().sum(0).float()
    axon = run_axon("column_sum", mlir, [x.cpu().numpy()], ref.cpu().numpy(), "reduce", 1e-4,
                    1e-3)
    record("sum over axis 0, 8192x8192 f32", "GB/s", 4 * n * n + 4 * n, axon, with_compile(fn, x))


def conv(name, n, c, hw, f, k, stride=1, pad=0, groups=1):
    x, w = f32(n, c, hw, hw), f32(f, c // groups, k, k)
    fn = lambda a, b: F.conv2d(a, b, stride=stride, padding=pad, groups=groups)
    out = fn(x, w)
    mlir = f"""func.func @main(%x: {ttype(x.shape)}, %w: {ttype(w.shape)}) -> {ttype(out.shape)} {{
  %0 = axon.conv2d %x, %w strides = [{stride}, {stride}] padding = [{pad}, {pad}, {pad}, {pad}] groups = {groups} : {ttype(x.shape)}, {ttype(w.shape)}
  return %0 : {ttype(out.shape)}
}}"""
    ref = fn(x.double(), w.double()).float()
    axon = run_axon(name, mlir, [x.cpu().numpy(), w.cpu().numpy()], ref.cpu().numpy(), "conv",
                    1e-3, 1e-3, repeat=6)
    flops = 2 * out.numel() * (c // groups) * k * k
    if groups == 1:
        record(f"conv2d {n}x{c}x{hw}x{hw} -> {f}, {k}x{k} s{stride} f32", "TFLOP/s", flops, axon,
               {"cuDNN (torch eager)": time_torch(fn, x, w)})
    else:
        nbytes = 4 * (x.numel() + w.numel() + out.numel())
        record(f"depthwise conv2d {n}x{c}x{hw}x{hw}, {k}x{k} s{stride} f32", "GB/s", nbytes, axon,
               {"cuDNN (torch eager)": time_torch(fn, x, w)})


def conv_half(name, n, c, hw, f, k, stride=1, pad=0, dtype=torch.float16):
    """A 16-bit convolution (conv_wgmma on sm_90a) against cuDNN in the same
    type. The program takes f32 inputs holding 16-bit values (numpy has no
    bf16) and casts them; the casts are kernels of their own, not counted."""
    ty = {torch.float16: "f16", torch.bfloat16: "bf16"}[dtype]
    x, w = f32(n, c, hw, hw).to(dtype), f32(f, c, k, k).to(dtype)
    fn = lambda a, b: F.conv2d(a, b, stride=stride, padding=pad)
    out = fn(x, w)
    t = lambda shape, e: "tensor<" + "".join(f"{d}x" for d in shape) + e + ">"
    mlir = f"""func.func @main(%x: {t(x.shape, "f32")}, %w: {t(w.shape, "f32")}) -> {t(out.shape, "f32")} {{
  %x16 = axon.cast %x : {t(x.shape, "f32")} to {t(x.shape, ty)}
  %w16 = axon.cast %w : {t(w.shape, "f32")} to {t(w.shape, ty)}
  %0 = axon.conv2d %x16, %w16 strides = [{stride}, {stride}] padding = [{pad}, {pad}, {pad}, {pad}] : {t(x.shape, ty)}, {t(w.shape, ty)}
  %1 = axon.cast %0 : {t(out.shape, ty)} to {t(out.shape, "f32")}
  return %1 : {t(out.shape, "f32")}
}}"""
    ref = fn(x.double(), w.double()).float()
    scale = ref.abs().max().item()
    axon = run_axon(name, mlir, [x.float().cpu().numpy(), w.float().cpu().numpy()],
                    ref.cpu().numpy(), "conv|transpose", 2e-2, 2e-2 * scale, repeat=6)
    flops = 2 * out.numel() * c * k * k
    record(f"conv2d {n}x{c}x{hw}x{hw} -> {f}, {k}x{k} s{stride} {ty}", "TFLOP/s", flops, axon,
           {"cuDNN (torch eager)": time_torch(fn, x, w)})


def max_pool():
    x = f32(8, 64, 112, 112)
    fn = lambda t: F.max_pool2d(t, 3, 2, 1)
    out = fn(x)
    mlir = f"""func.func @main(%x: {ttype(x.shape)}) -> {ttype(out.shape)} {{
  %0 = axon.max_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1, 1, 1] : {ttype(x.shape)}
  return %0 : {ttype(out.shape)}
}}"""
    axon = run_axon("max_pool", mlir, [x.cpu().numpy()], out.cpu().numpy(), "pool", 0, 0)
    record("max_pool 3x3 s2, 8x64x112x112 f32", "GB/s", 4 * (x.numel() + out.numel()), axon,
           with_compile(fn, x))


BENCHES = {
    "transpose": transpose_2d,
    "head_split": head_split,
    "column_sum": column_sum,
    "conv_3x3_56": lambda: conv("conv_3x3_56", 8, 64, 56, 64, 3, pad=1),
    "conv_3x3_14": lambda: conv("conv_3x3_14", 8, 256, 14, 256, 3, pad=1),
    "conv_1x1_56": lambda: conv("conv_1x1_56", 8, 256, 56, 64, 1),
    "conv_1x1_14": lambda: conv("conv_1x1_14", 8, 1024, 14, 256, 1),
    "conv_7x7_stem": lambda: conv("conv_7x7_stem", 8, 3, 224, 64, 7, stride=2, pad=3),
    "conv_f16_3x3_56": lambda: conv_half("conv_f16_3x3_56", 8, 64, 56, 64, 3, pad=1),
    "conv_f16_3x3_14": lambda: conv_half("conv_f16_3x3_14", 8, 256, 14, 256, 3, pad=1),
    "conv_f16_1x1_56": lambda: conv_half("conv_f16_1x1_56", 8, 256, 56, 64, 1),
    "conv_bf16_1x1_14": lambda: conv_half("conv_bf16_1x1_14", 8, 1024, 14, 256, 1,
                                          dtype=torch.bfloat16),
    "depthwise": lambda: conv("depthwise", 8, 144, 56, 144, 3, pad=1, groups=144),
    "max_pool": max_pool,
}
