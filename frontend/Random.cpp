// ATen's CPU generator: at::mt19937 seeding and tempering, Box-Muller normals with a cached pair.
#include "frontend/Random.h"

#include <cmath>

namespace nncc {

namespace {
constexpr int kStateSize = 624;
constexpr int kShift = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfU;
constexpr uint32_t kUpperMask = 0x80000000U;
constexpr uint32_t kLowerMask = 0x7fffffffU;
constexpr double kPi = 3.14159265358979323846;
} // namespace

void manual_seed(uint64_t seed) { Generator::global().seed(seed); }

Generator::Generator(uint64_t seed) { this->seed(seed); }

void Generator::seed(uint64_t seed) {
  // at::mt19937 keeps only the low 32 bits of the seed.
  state_[0] = static_cast<uint32_t>(seed & 0xffffffffULL);
  for (int j = 1; j < kStateSize; ++j)
    state_[j] = 1812433253U * (state_[j - 1] ^ (state_[j - 1] >> 30)) + static_cast<uint32_t>(j);
  index_ = kStateSize;
  hasCachedNormal_ = false;
  cachedNormal_ = 0;
}

uint32_t Generator::random() {
  if (index_ >= kStateSize) {
    for (int i = 0; i < kStateSize; ++i) {
      uint32_t y = (state_[i] & kUpperMask) | (state_[(i + 1) % kStateSize] & kLowerMask);
      state_[i] = state_[(i + kShift) % kStateSize] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
    }
    index_ = 0;
  }
  uint32_t y = state_[index_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= y >> 18;
  return y;
}

uint64_t Generator::random64() {
  // ATen's make64BitsFrom32Bits(hi, lo): the first draw is the high word.
  uint64_t hi = random();
  uint64_t lo = random();
  return (hi << 32) | lo;
}

double Generator::normal() {
  if (hasCachedNormal_) {
    hasCachedNormal_ = false;
    return cachedNormal_;
  }
  // at::uniform_real_distribution<double>(0, 1): 53 random bits scaled to [0, 1).
  constexpr uint64_t kMask = (1ULL << 53) - 1;
  constexpr double kDivisor = 1.0 / static_cast<double>(1ULL << 53);
  double u1 = static_cast<double>(random64() & kMask) * kDivisor;
  double u2 = static_cast<double>(random64() & kMask) * kDivisor;
  double r = std::sqrt(-2.0 * std::log1p(-u2));
  double theta = 2.0 * kPi * u1;
  cachedNormal_ = r * std::sin(theta);
  hasCachedNormal_ = true;
  return r * std::cos(theta);
}

Generator &Generator::global() {
  static Generator generator;
  return generator;
}

} // namespace nncc
