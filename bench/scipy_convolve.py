#!/usr/bin/env python3
"""Peer for bench/kernel_convolution_bench: scipy.signal.fftconvolve on the same
volume and kernel. Usage: scipy_convolve.py volume.f32 nx ny nz kernel.f32 kx ky kz out.f32 repeats
Prints the best wall time in seconds of `repeats` runs."""
import sys
import time

import numpy as np
from scipy.signal import fftconvolve

vol_path, nx, ny, nz, ker_path, kx, ky, kz, out_path, repeats = sys.argv[1:]
# Files are x fastest, so numpy's C order is (z, y, x).
vol = np.fromfile(vol_path, dtype=np.float32).reshape(int(nz), int(ny), int(nx))
ker = np.fromfile(ker_path, dtype=np.float32).reshape(int(kz), int(ky), int(kx))
best = float("inf")
for _ in range(int(repeats)):
    t0 = time.perf_counter()
    out = fftconvolve(vol, ker, mode="same")
    best = min(best, time.perf_counter() - t0)
out.astype(np.float32).tofile(out_path)
print(f"{best:.6f}")
