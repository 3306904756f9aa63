// The embedding program: runs the AOT-compiled MLP with only the nncc runtime linked.
#include "mlp.h"

#include <cmath>
#include <cstdio>

int main() {
  std::unique_ptr<nncc_models::Mlp> mlp;
  if (nncc::rt::Status s = nncc_models::Mlp::create(&mlp); !s.ok()) {
    std::fprintf(stderr, "mlp_demo: %s\n", s.message().c_str());
    return 1;
  }
  // Two synthetic 28x28 "images": a bright disc and a diagonal stroke.
  float x[2 * 784], y[2 * 10];
  for (int i = 0; i < 28; ++i)
    for (int j = 0; j < 28; ++j) {
      x[i * 28 + j] = std::hypot(i - 13.5, j - 13.5) < 8 ? 1.0f : 0.0f;
      x[784 + i * 28 + j] = std::abs(i - j) < 3 ? 1.0f : 0.0f;
    }
  if (nncc::rt::Status s = mlp->forward(x, y); !s.ok()) {
    std::fprintf(stderr, "mlp_demo: %s\n", s.message().c_str());
    return 1;
  }
  std::printf("MLP 784-512-512-10 (seed 0), compiled ahead of time by nncc\n");
  for (int b = 0; b < 2; ++b) {
    int best = 0;
    std::printf("sample %d logits:", b);
    for (int k = 0; k < 10; ++k) {
      std::printf(" %+.4f", y[b * 10 + k]);
      if (y[b * 10 + k] > y[b * 10 + best])
        best = k;
    }
    std::printf("  -> class %d\n", best);
  }
  std::printf("\narena: %lld bytes of intermediates, allocated once\n",
              static_cast<long long>(nncc_models::Mlp::kArenaBytes));
  std::printf("%s", nncc_models::Mlp::kFusionSummary);
  return 0;
}
