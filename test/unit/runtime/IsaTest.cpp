// The load-time CPU feature check: an artifact's "isa" list against this CPU.
#include "runtime/Isa.h"
#include "runtime/Model.h"

#include <gtest/gtest.h>

namespace nncc::rt {
namespace {

TEST(Isa, EveryKnownFeatureCanBeCheckedAndBaselineX86Passes) {
  for (const char *feature : knownIsaFeatures()) {
    Status s = checkIsa("m", {feature});
    // Either this CPU has it, or the message says it lacks it: never "cannot check".
    if (!s.ok())
      EXPECT_NE(s.message().find("which this CPU lacks"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(checkIsa("m", {}).ok());
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2"))
    EXPECT_TRUE(checkIsa("m", {"avx2"}).ok());
  if (!__builtin_cpu_supports("avx512f")) {
    Status s = checkIsa("mlp", {"avx2", "avx512f"});
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.message(), "model 'mlp' was compiled for CPUs with avx512f, which this CPU lacks; "
                           "recompile it with --mcpu for this CPU");
  }
#endif
}

TEST(Isa, UnknownFeatureIsAnErrorNotACrash) {
  Status s = checkIsa("mlp", {"quantum-fma"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "model 'mlp' needs CPU feature 'quantum-fma', which this runtime cannot "
                         "check; recompile with --mcpu for this CPU");
}

TEST(Isa, ModelCreateChecksTheManifest) {
  auto create = [](const std::string &isa) {
    std::string manifest = R"({"format":"nncc-artifact","version":1,"model":"tiny","isa":)" + isa +
                           R"(,"entries":[]})";
    std::unique_ptr<Model> model;
    return Model::create(manifest, {}, {}, &model);
  };
  Status unknown = create(R"(["quantum-fma"])");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.message().find("'quantum-fma'"), std::string::npos);
  Status malformed = create(R"("avx2")");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.message(), "model 'tiny': manifest 'isa' is not a list of feature names");
}

} // namespace
} // namespace nncc::rt
