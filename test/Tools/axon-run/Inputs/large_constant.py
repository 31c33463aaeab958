"""Writes a matmul with a 128x256 f32 weight (128 KiB) as a dense constant and
as a dense_resource blob (64-byte aligned), its input and the expected result
(integers, so every sum is exact in f32). Usage: large_constant.py OUT_DIR"""
import os
import struct
import sys

rows, cols = 128, 256
w = [[(i * cols + j) % 17 - 8 for j in range(cols)] for i in range(rows)]
x = [(i % 5) - 2 for i in range(rows)]
y = [sum(x[i] * w[i][j] for i in range(rows)) for j in range(cols)]


def write_npy(path, shape, values):
    dims = ", ".join("%d" % d for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % dims
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<%df" % len(values), *values))


def program(weight):
    return ("func.func @main(%%x: tensor<1x%dxf32>) -> tensor<1x%dxf32> {\n"
            "  %%w = axon.constant %s : tensor<%dx%dxf32>\n"
            "  %%y = axon.matmul %%x, %%w : tensor<1x%dxf32>, tensor<%dx%dxf32>\n"
            "  return %%y : tensor<1x%dxf32>\n}\n" %
            (rows, cols, weight, rows, cols, rows, rows, cols, cols))


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
dense = "dense<[%s]>" % ", ".join("[%s]" % ", ".join("%d.0" % v for v in r) for r in w)
with open(os.path.join(out, "dense.mlir"), "w") as f:
    f.write(program(dense))
blob = struct.pack("<I", 64) + struct.pack("<%df" % (rows * cols), *[v for r in w for v in r])
with open(os.path.join(out, "resource.mlir"), "w") as f:
    f.write(program("dense_resource<weight>"))
    f.write("{-#\n  dialect_resources: {\n    builtin: {\n      weight: \"0x%s\"\n    }\n  }\n#-}\n"
            % blob.hex().upper())
write_npy(os.path.join(out, "x.npy"), (1, rows), x)
write_npy(os.path.join(out, "y.npy"), (1, cols), y)
