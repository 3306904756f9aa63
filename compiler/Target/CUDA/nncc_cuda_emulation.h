// Host emulation of the CUDA C nncc generates: the same source, compiled as C++ with this header
// forced in front (-include) and NNCC_CUDA_EMULATION defined, runs on the CPU.
//
// - __global__, __device__ and __forceinline__ become plain C++; threadIdx, blockIdx, blockDim
//   and gridDim are thread-local variables that nncc_emu_launch sets before each thread runs.
// - Most kernels have no barriers: a block's threads run one after another. A kernel with
//   __syncthreads (the generated source marks it with `<kernel>_barriers`) runs each block's
//   threads as fibers (ucontext) instead: each runs to its next barrier, and the block goes on
//   once all of them are there. __shared__ arrays are static, which is exact because blocks run
//   one at a time. Such kernels read threadIdx once, into a local, since fibers share it.
// - The generator uses no warp shuffles.
// - CUDA's float math (expf, rsqrtf, ...) maps to the C library's.
// - GEMMs, which run on cuBLAS on a device, run on nncc_emu_gemm: the same column-major
//   arguments, computed with a plain loop.
#pragma once

#include <ucontext.h>

#include <cmath>
#include <cstdint>
#include <vector>

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static

struct nncc_dim3 {
  unsigned x = 1, y = 1, z = 1;
};

static thread_local nncc_dim3 threadIdx, blockIdx, blockDim, gridDim;

static inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }

/// One block's threads as fibers: the one running, and where each returns to at a barrier.
struct nncc_emu_block {
  ucontext_t scheduler;
  std::vector<ucontext_t> threads;
  std::vector<std::vector<char>> stacks;
  std::vector<bool> done;
  unsigned current = 0;
  void (*kernel)(void **) = nullptr;
  void **args = nullptr;
};
static thread_local nncc_emu_block *nncc_emu_running = nullptr;

static inline void __syncthreads() {
  nncc_emu_block *b = nncc_emu_running;
  if (b)
    swapcontext(&b->threads[b->current], &b->scheduler);
}

static void nncc_emu_fiber() {
  nncc_emu_block *b = nncc_emu_running;
  b->kernel(b->args);
  b->done[b->current] = true;
}

/// Runs `grid` blocks of `block` threads of the kernel whose host trampoline is `kernel`; as
/// fibers where it has `barriers`.
extern "C" __attribute__((visibility("default"))) void
nncc_emu_launch(void (*kernel)(void **), unsigned grid, unsigned block, void **args, int barriers) {
  gridDim.x = grid;
  blockDim.x = block;
  nncc_emu_block fibers;
  if (barriers) {
    fibers.kernel = kernel;
    fibers.args = args;
    fibers.threads.resize(block);
    fibers.stacks.assign(block, std::vector<char>(64 * 1024));
  }
  for (unsigned b = 0; b < grid; ++b) {
    blockIdx.x = b;
    if (!barriers) {
      for (unsigned t = 0; t < block; ++t) {
        threadIdx.x = t;
        kernel(args);
      }
      continue;
    }
    fibers.done.assign(block, false);
    for (unsigned t = 0; t < block; ++t) {
      getcontext(&fibers.threads[t]);
      fibers.threads[t].uc_stack.ss_sp = fibers.stacks[t].data();
      fibers.threads[t].uc_stack.ss_size = fibers.stacks[t].size();
      fibers.threads[t].uc_link = &fibers.scheduler;
      makecontext(&fibers.threads[t], nncc_emu_fiber, 0);
    }
    nncc_emu_running = &fibers;
    // Each round runs every thread to its next barrier (or its end).
    for (bool left = true; left;) {
      left = false;
      for (unsigned t = 0; t < block; ++t)
        if (!fibers.done[t]) {
          fibers.current = t;
          threadIdx.x = t;
          swapcontext(&fibers.scheduler, &fibers.threads[t]);
          left = left || !fibers.done[t];
        }
    }
    nncc_emu_running = nullptr;
  }
}

/// cublasSgemmStridedBatched with alpha = 1 and beta 0 or 1 (C = op(A) op(B) + beta C), all
/// column-major.
extern "C" __attribute__((visibility("default"))) void
nncc_emu_gemm(int transa, int transb, long long m, long long n, long long k, const float *a, long long lda,
              long long strideA, const float *b, long long ldb, long long strideB, float beta, float *c,
              long long ldc, long long strideC, long long batch) {
  for (long long p = 0; p < batch; ++p)
    for (long long j = 0; j < n; ++j)
      for (long long i = 0; i < m; ++i) {
        float acc = beta == 0 ? 0.0f : c[p * strideC + i + j * ldc];
        for (long long l = 0; l < k; ++l)
          acc += a[p * strideA + (transa ? l + i * lda : i + l * lda)] *
                 b[p * strideB + (transb ? j + l * ldb : l + j * ldb)];
        c[p * strideC + i + j * ldc] = acc;
      }
}

/// A cuBLASLt bias (and ReLU) epilogue after nncc_emu_gemm: D = act(C + bias), column-major, the
/// bias a vector of m elements added to every column.
extern "C" __attribute__((visibility("default"))) void
nncc_emu_gemm_epilogue(long long m, long long n, const float *c, long long ldc, const float *bias, int relu,
                       float *d, long long ldd) {
  for (long long j = 0; j < n; ++j)
    for (long long i = 0; i < m; ++i) {
      float v = c[i + j * ldc] + bias[i];
      d[i + j * ldd] = relu ? (v != v ? v : v > 0.0f ? v : 0.0f) : v;
    }
}
