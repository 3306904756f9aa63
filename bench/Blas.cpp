// The BLAS library LibTorch loaded (libblas.so.3), found at run time: its sgemm and, for OpenBLAS, its thread count.
//
// Why dlopen rather than linking -lblas or -lopenblas: Debian's libtorch links libblas.so.3, and the
// loader resolves that soname once per process, to whatever the alternatives system or
// LD_LIBRARY_PATH provide at run time. Asking for the already loaded libblas.so.3 (RTLD_NOLOAD)
// gives the GEMM rows exactly the library LibTorch multiplies with, and lets the program see
// whether that is OpenBLAS (openblas_set_num_threads, found through libblas.so.3's own
// dependency on libopenblas.so.0) without needing OpenBLAS at build time.
#include "bench/Blas.h"

#include <cstdio>
#include <cstdlib>

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>

namespace nncc::bench {

namespace {

Blas find() {
  void *lib = dlopen("libblas.so.3", RTLD_NOW | RTLD_NOLOAD);
  if (!lib) {
    std::fprintf(stderr, "bench: libblas.so.3 is not loaded (LibTorch links it): %s\n", dlerror());
    std::exit(1);
  }
  Blas blas;
  blas.sgemm = reinterpret_cast<SgemmFn>(dlsym(lib, "cblas_sgemm"));
  if (!blas.sgemm) {
    std::fprintf(stderr, "bench: the loaded libblas.so.3 has no cblas_sgemm\n");
    std::exit(1);
  }
  Dl_info info;
  char real[PATH_MAX];
  if (dladdr(reinterpret_cast<void *>(blas.sgemm), &info) && info.dli_fname)
    blas.path = realpath(info.dli_fname, real) ? real : info.dli_fname;
  blas.setThreads = reinterpret_cast<void (*)(int)>(dlsym(lib, "openblas_set_num_threads"));
  if (auto config = reinterpret_cast<const char *(*)()>(dlsym(lib, "openblas_get_config")))
    blas.openblasConfig = config();
  return blas;
}

} // namespace

const Blas &loadedBlas() {
  static const Blas blas = find();
  return blas;
}

} // namespace nncc::bench
