// The BLAS library LibTorch loaded (libblas.so.3), found at run time: its sgemm and, for OpenBLAS, its thread count.
#pragma once

#include <string>

namespace nncc::bench {

/// cblas_sgemm's signature, with CBLAS's enums as ints.
using SgemmFn = void (*)(int order, int transA, int transB, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta, float *c,
                         int ldc);

/// libblas.so.3 as LibTorch resolved it: Debian's reference BLAS, or OpenBLAS
/// when bench/run.sh puts OpenBLAS's libblas.so.3 first on LD_LIBRARY_PATH.
struct Blas {
  /// The file behind libblas.so.3, symlinks resolved.
  std::string path;
  /// openblas_get_config(), or empty for another BLAS.
  std::string openblasConfig;
  SgemmFn sgemm = nullptr;
  /// openblas_set_num_threads, or nullptr for another BLAS.
  void (*setThreads)(int) = nullptr;
  bool isOpenBlas() const { return setThreads != nullptr; }
};

/// The loaded BLAS; exits with a message when libblas.so.3 is not loaded or
/// has no cblas_sgemm.
const Blas &loadedBlas();

// CBLAS's enum values, for SgemmFn.
constexpr int kCblasRowMajor = 101, kCblasNoTrans = 111;

} // namespace nncc::bench
