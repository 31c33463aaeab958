"""Writes a small tensor without numpy: write_tensor.py PATH DTYPE SHAPE V0 V1 ...
PATH ending in .npy gets an .npy file, anything else the raw little-endian
bytes. DTYPE is f4 or i8; SHAPE is comma-separated dims ('4', '2,3,4')."""
import struct
import sys

path, dtype, shape = sys.argv[1], sys.argv[2], [int(d) for d in sys.argv[3].split(",")]
values = [float(v) if dtype == "f4" else int(v) for v in sys.argv[4:]]
count = 1
for d in shape:
    count *= d
if len(values) == 1 and count > 1:  # "arange": V0 is the start
    values = [values[0] + i for i in range(count)]
assert len(values) == count, "expected %d values" % count
data = struct.pack("<%d%s" % (count, "f" if dtype == "f4" else "q"), *values)
with open(path, "wb") as f:
    if path.endswith(".npy"):
        dims = ", ".join("%d" % d for d in shape) + ("," if len(shape) == 1 else "")
        header = "{'descr': '<%s', 'fortran_order': False, 'shape': (%s), }" % (dtype, dims)
        header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(data)
