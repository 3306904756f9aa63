"""Exits 0 when two .npy files hold the same shape and values within 1e-5 relative, else prints
the difference and exits 1: the comparison of the CLI run tests."""
import sys

import numpy as np

a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
if a.shape != b.shape or not np.allclose(a, b, rtol=1e-5, atol=1e-6):
    print("mismatch:", a.shape, b.shape, np.abs(a - b).max() if a.shape == b.shape else "")
    sys.exit(1)
print("allclose", a.shape)
