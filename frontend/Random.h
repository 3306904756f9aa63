// The seedable random generator behind init and dropout, bit-compatible with torch.manual_seed on CPU.
#pragma once

#include <cstdint>

namespace nncc {

/// Seeds the global generator, as torch.manual_seed does. The same seed
/// gives the same stream of numbers as PyTorch's CPU generator, so modules
/// built after manual_seed(s) get PyTorch's initial weights.
void manual_seed(uint64_t seed);

/// The global generator (an MT19937, as ATen's CPUGeneratorImpl).
class Generator {
public:
  explicit Generator(uint64_t seed = 67280421310721ULL);
  void seed(uint64_t seed);
  /// The next 32 random bits.
  uint32_t random();
  /// The next 64 random bits.
  uint64_t random64();
  /// One sample of N(0, 1) by Box-Muller, caching the second value as ATen does.
  double normal();

  static Generator &global();

private:
  uint32_t state_[624];
  int index_ = 0;
  bool hasCachedNormal_ = false;
  double cachedNormal_ = 0;
};

} // namespace nncc
