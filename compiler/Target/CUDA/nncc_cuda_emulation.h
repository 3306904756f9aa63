// Host emulation of the CUDA C nncc generates: the same source, compiled as C++ with this header
// forced in front (-include) and NNCC_CUDA_EMULATION defined, runs on the CPU.
//
// - __global__, __device__ and __forceinline__ become plain C++; threadIdx, blockIdx, blockDim
//   and gridDim are thread-local variables that nncc_emu_launch sets before each thread runs.
// - The generated kernels use one thread per output element and no shared memory, barriers or
//   warp shuffles yet, so running a block's threads one after another is exact. The moment the
//   generator uses __syncthreads, this launcher must run each block's threads as fibers (or in
//   phases between barriers) instead.
// - CUDA's float math (expf, rsqrtf, ...) maps to the C library's.
// - GEMMs, which run on cuBLAS on a device, run on nncc_emu_gemm: the same column-major
//   arguments, computed with a plain loop.
#pragma once

#include <cmath>
#include <cstdint>

#define __global__
#define __device__
#define __forceinline__ inline

struct nncc_dim3 {
  unsigned x = 1, y = 1, z = 1;
};

static thread_local nncc_dim3 threadIdx, blockIdx, blockDim, gridDim;

static inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }

/// Runs `grid` blocks of `block` threads of the kernel whose host trampoline is `kernel`.
extern "C" __attribute__((visibility("default"))) void
nncc_emu_launch(void (*kernel)(void **), unsigned grid, unsigned block, void **args) {
  gridDim.x = grid;
  blockDim.x = block;
  for (unsigned b = 0; b < grid; ++b) {
    blockIdx.x = b;
    for (unsigned t = 0; t < block; ++t) {
      threadIdx.x = t;
      kernel(args);
    }
  }
}

/// cublasSgemmStridedBatched with alpha = beta = 1 (C += op(A) op(B)), all column-major.
extern "C" __attribute__((visibility("default"))) void
nncc_emu_gemm(int transa, int transb, long long m, long long n, long long k, const float *a, long long lda,
              long long strideA, const float *b, long long ldb, long long strideB, float *c, long long ldc,
              long long strideC, long long batch) {
  for (long long p = 0; p < batch; ++p)
    for (long long j = 0; j < n; ++j)
      for (long long i = 0; i < m; ++i) {
        float acc = c[p * strideC + i + j * ldc];
        for (long long l = 0; l < k; ++l)
          acc += a[p * strideA + (transa ? l + i * lda : i + l * lda)] *
                 b[p * strideB + (transb ? j + l * ldb : l + j * ldb)];
        c[p * strideC + i + j * ldc] = acc;
      }
}
