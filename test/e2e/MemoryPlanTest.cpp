// The static memory plan of the example MLP (784-512-512-10, batch 64): its arena against a bound
// worked out by hand, and the report `nncc inspect` prints.
#include "compiler/Driver/Driver.h"
#include "compiler/Driver/Inspect.h"
#include "compiler/Passes.h"
#include "compiler/Registration.h"
#include "examples/mlp/Mlp.h"
#include "frontend/Trace.h"

#include <gtest/gtest.h>

namespace nncc::testing {
namespace {

TEST(MemoryPlan, MlpArenaHoldsTwoActivationsAtOnce) {
  auto mlp = examples::makeMlp();
  mlp->eval();
  TracedModel traced = trace(*mlp, {{"x", {64, 784}}});
  mlir::DialectRegistry registry;
  registerDialects(registry);
  traced.module->getContext()->appendDialectRegistry(registry);
  CpuPipelineOptions pipeline;
  pipeline.stopAfter = CpuStage::Memref;
  runCpuPipeline(*traced.module, pipeline);
  auto forward = traced.module->lookupSymbol<mlir::func::FuncOp>("forward");
  ASSERT_TRUE(forward);
  int64_t arena = forward->getAttrOfType<mlir::IntegerAttr>(kArenaBytesAttr).getInt();
  int64_t unplanned = forward->getAttrOfType<mlir::IntegerAttr>(kUnplannedBytesAttr).getInt();
  // By hand: each Linear reads one [64, 512] activation while it writes the next (its bias+ReLU
  // epilogue then runs in place), so at most two are live: 2 * 64 * 512 * 4 bytes. The last
  // Linear writes straight into the caller's output.
  EXPECT_EQ(arena, 2 * 64 * 512 * 4);
  // Without reuse every intermediate would have its own bytes.
  EXPECT_LT(arena, unplanned);
  EXPECT_EQ(describeMemoryPlan(*traced.module),
            "Memory plan (intermediates, in one arena):\n"
            "  forward: 262,144 bytes; without reuse " +
                [&] {
                  std::string s = std::to_string(unplanned);
                  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
                    s.insert(i, ",");
                  return s;
                }() +
                " bytes (" + std::to_string((100 * arena + unplanned / 2) / unplanned) + "%)\n");
}

} // namespace
} // namespace nncc::testing
