"""The comparison of the CLI run tests: prints "allclose DTYPE SHAPE" and exits 0 when two .npy
files hold the same dtype, shape and values (within 1e-5 relative), else prints the difference
and exits 1. Usage: allclose.py ACTUAL.npy EXPECTED.npy"""
import sys

import numpy as np

a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
if a.dtype != b.dtype or a.shape != b.shape:
    print("mismatch:", a.dtype, a.shape, "vs", b.dtype, b.shape)
    sys.exit(1)
if not np.allclose(a, b, rtol=1e-5, atol=1e-6):
    print("mismatch: largest difference", np.abs(a - b).max())
    sys.exit(1)
print("allclose", a.dtype, a.shape)
