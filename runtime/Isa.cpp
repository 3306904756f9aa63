// CPU feature checks for artifacts (see Isa.h).
#include "runtime/Isa.h"

#include <cstring>

namespace nncc::rt {
namespace {

/// Whether this CPU has `feature`. __builtin_cpu_supports takes string literals only, hence the
/// list; the names are LLVM's, which are also GCC's and clang's for these features.
int cpuHas(const char *feature) {
#if defined(__x86_64__) || defined(__i386__)
#define NNCC_FEATURE(name)                                                                         \
  if (std::strcmp(feature, name) == 0)                                                             \
    return __builtin_cpu_supports(name) ? 1 : 0;
  NNCC_FEATURE("sse4.2")
  NNCC_FEATURE("avx")
  NNCC_FEATURE("avx2")
  NNCC_FEATURE("fma")
  NNCC_FEATURE("bmi")
  NNCC_FEATURE("bmi2")
  NNCC_FEATURE("avx512f")
  NNCC_FEATURE("avx512cd")
  NNCC_FEATURE("avx512bw")
  NNCC_FEATURE("avx512dq")
  NNCC_FEATURE("avx512vl")
  NNCC_FEATURE("avx512vnni")
  NNCC_FEATURE("avx512bf16")
#undef NNCC_FEATURE
#endif
  return -1;
}

} // namespace

const std::vector<const char *> &knownIsaFeatures() {
  static const std::vector<const char *> features = {
      "sse4.2", "avx", "avx2", "fma", "bmi", "bmi2", "avx512f", "avx512cd",
      "avx512bw", "avx512dq", "avx512vl", "avx512vnni", "avx512bf16"};
  return features;
}

Status checkIsa(const std::string &model, const std::vector<std::string> &isa) {
  for (const std::string &feature : isa) {
    int has = cpuHas(feature.c_str());
    if (has < 0)
      return Status::Error("model '" + model + "' needs CPU feature '" + feature +
                           "', which this runtime cannot check; recompile with --mcpu for this CPU");
    if (has == 0)
      return Status::Error("model '" + model + "' was compiled for CPUs with " + feature +
                           ", which this CPU lacks; recompile it with --mcpu for this CPU");
  }
  return Status::Ok();
}

} // namespace nncc::rt
