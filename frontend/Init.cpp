// nn::init: PyTorch's init formulas, drawing numbers exactly as ATen's CPU kernels draw them.
#include "frontend/Init.h"

#include "frontend/Error.h"
#include "frontend/Random.h"

#include <cctype>
#include <cmath>
#include <cstring>
#include <sstream>

namespace nncc::nn::init {

namespace {

/// `v` as c10::str prints a double (ostream defaults), for error messages.
std::string num(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

Generator &pick(Generator *gen) { return gen ? *gen : Generator::global(); }

/// at::uniform_real_distribution<float>: 24 random bits scaled to [0, 1),
/// then from + x * (to - from). ATen's AVX2 build contracts that into one
/// fused multiply-add, so std::fma is what reproduces its bits.
float uniformFloat(Generator &gen, float from, float to) {
  constexpr uint32_t kMask = (1U << 24) - 1;
  constexpr float kDivisor = 1.0f / static_cast<float>(1U << 24);
  float x = static_cast<float>(gen.random() & kMask) * kDivisor;
  return std::fma(x, to - from, from);
}

float bitsToFloat(uint32_t bits) {
  float f;
  static_assert(sizeof f == sizeof bits);
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

uint32_t floatToBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof f);
  return bits;
}

/// log256_ps of ATen's avx_mathfun.h (Cephes logf) for one lane, with the
/// multiply-adds that GCC contracts into FMAs there. Valid for x in (0, 1].
float cephesLog(float x) {
  int32_t exponent = static_cast<int32_t>(floatToBits(x) >> 23) - 0x7f;
  x = bitsToFloat((floatToBits(x) & ~0x7f800000U) | floatToBits(0.5f));
  float e = static_cast<float>(exponent) + 1.0f;
  bool small = x < static_cast<float>(0.707106781186547524);
  float tmp = small ? x : 0.0f;
  x = x - 1.0f;
  e = e - (small ? 1.0f : 0.0f);
  x = x + tmp;
  float z = x * x;
  float y = std::fma(7.0376836292E-2f, x, -1.1514610310E-1f);
  y = std::fma(y, x, 1.1676998740E-1f);
  y = std::fma(y, x, -1.2420140846E-1f);
  y = std::fma(y, x, 1.4249322787E-1f);
  y = std::fma(y, x, -1.6668057665E-1f);
  y = std::fma(y, x, 2.0000714765E-1f);
  y = std::fma(y, x, -2.4999993993E-1f);
  y = std::fma(y, x, 3.3333331174E-1f);
  y = y * x;
  y = std::fma(y, z, e * -2.12194440e-4f);
  y = std::fma(-z, 0.5f, y);
  return std::fma(e, 0.693359375f, x + y);
}

/// sincos256_ps of ATen's avx_mathfun.h for one lane, FMAs as GCC contracts
/// them. Valid for x in [0, 2*pi), which is all Box-Muller asks of it.
void cephesSinCos(float x, float *sinOut, float *cosOut) {
  int32_t j = static_cast<int32_t>(x * static_cast<float>(1.27323954473516));
  j = (j + 1) & ~1;
  float y = static_cast<float>(j);
  uint32_t signSin = static_cast<uint32_t>(j & 4) << 29;
  uint32_t signCos = static_cast<uint32_t>(~(j - 2) & 4) << 29;
  bool sinPoly = (j & 2) == 0;
  x = std::fma(y, -0.78515625f, x);
  x = std::fma(y, -2.4187564849853515625e-4f, x);
  x = std::fma(y, -3.77489497744594108e-8f, x);
  float z = x * x;
  float c = std::fma(2.443315711809948E-005f, z, -1.388731625493765E-003f);
  c = std::fma(c, z, 4.166664568298827E-002f);
  c = c * z;
  c = std::fma(c, z, -(z * 0.5f));
  c = c + 1.0f;
  float s = std::fma(-1.9515295891E-4f, z, 8.3321608736E-3f);
  s = std::fma(s, z, -1.6666654611E-1f);
  s = s * z;
  s = std::fma(s, x, x);
  // The vector code blends with masks and adds the zeroed lane back in.
  float sinFromS = sinPoly ? s : 0.0f;
  float sinFromC = sinPoly ? 0.0f : c;
  *sinOut = bitsToFloat(floatToBits(sinFromC + sinFromS) ^ signSin);
  *cosOut = bitsToFloat(floatToBits((c - sinFromC) + (s - sinFromS)) ^ signCos);
}

/// ATen's normal_fill_16_AVX2: Box-Muller over the uniform pairs (j, j + 8). Torch runs
/// this on CPUs with AVX2; without it (or under ATEN_CPU_CAPABILITY=default) torch uses
/// libm here instead, and its normals differ from these in the last bits.
void normalFill16(float *data, float mean, float std) {
  const float twoPi = static_cast<float>(2.0 * 3.14159265358979323846);
  for (int j = 0; j < 8; ++j) {
    float radius = std::sqrt(-2.0f * cephesLog(1.0f - data[j]));
    float sinTheta, cosTheta;
    cephesSinCos(twoPi * data[j + 8], &sinTheta, &cosTheta);
    data[j] = std::fma(radius * cosTheta, std, mean);
    data[j + 8] = std::fma(radius * sinTheta, std, mean);
  }
}

/// ATen's CPU normal_ kernel for a contiguous f32 tensor: 16 or more
/// elements go through normal_fill (uniforms first, then Box-Muller in
/// blocks of 16, redrawing the last 16 when numel is not a multiple of 16);
/// fewer are drawn one at a time from the generator's cached pairs.
void normalFill(Tensor &tensor, double mean, double std, Generator &gen) {
  float *data = tensor.data();
  int64_t n = tensor.numel();
  if (n < 16) {
    for (int64_t i = 0; i < n; ++i)
      data[i] = static_cast<float>(std::fma(gen.normal(), std, mean));
    return;
  }
  for (int64_t i = 0; i < n; ++i)
    data[i] = uniformFloat(gen, 0.0f, 1.0f);
  float meanF = static_cast<float>(mean), stdF = static_cast<float>(std);
  for (int64_t i = 0; i + 16 <= n; i += 16)
    normalFill16(data + i, meanF, stdF);
  if (n % 16 != 0) {
    float *tail = data + n - 16;
    for (int i = 0; i < 16; ++i)
      tail[i] = uniformFloat(gen, 0.0f, 1.0f);
    normalFill16(tail, meanF, stdF);
  }
}

/// _calculate_correct_fan: fan_in or fan_out by name.
int64_t correctFan(const Tensor &tensor, const std::string &mode) {
  std::string lower = mode;
  for (char &c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != "fan_in" && lower != "fan_out")
    throw Error("Mode " + mode + " not supported, please use one of ['fan_in', 'fan_out']");
  auto [fanIn, fanOut] = calculate_fan_in_and_fan_out(tensor);
  return lower == "fan_in" ? fanIn : fanOut;
}

} // namespace

double calculate_gain(const std::string &nonlinearity, double param) {
  if (nonlinearity == "linear" || nonlinearity == "conv1d" || nonlinearity == "conv2d" ||
      nonlinearity == "conv3d" || nonlinearity == "conv_transpose1d" ||
      nonlinearity == "conv_transpose2d" || nonlinearity == "conv_transpose3d" ||
      nonlinearity == "sigmoid")
    return 1;
  if (nonlinearity == "tanh")
    return 5.0 / 3;
  if (nonlinearity == "relu")
    return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu") {
    double slope = param < 0 ? 0.01 : param;
    return std::sqrt(2.0 / (1 + slope * slope));
  }
  if (nonlinearity == "selu")
    return 3.0 / 4;
  throw Error("Unsupported nonlinearity " + nonlinearity);
}

std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor &tensor) {
  if (tensor.dim() < 2)
    throw Error("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  int64_t receptive = 1;
  for (int64_t d = 2; d < tensor.dim(); ++d)
    receptive *= tensor.size(d);
  return {tensor.size(1) * receptive, tensor.size(0) * receptive};
}

Tensor uniform_(Tensor tensor, double a, double b, Generator *gen) {
  if (a > b)
    throw Error("uniform_ expects to return a [from, to) range, but found from=" + num(a) +
                " > to=" + num(b));
  Generator &g = pick(gen);
  float from = static_cast<float>(a), to = static_cast<float>(b);
  float *data = tensor.data();
  for (int64_t i = 0, n = tensor.numel(); i < n; ++i)
    data[i] = uniformFloat(g, from, to);
  return tensor;
}

Tensor normal_(Tensor tensor, double mean, double std, Generator *gen) {
  if (std < 0)
    throw Error("normal expects std >= 0.0, but found std " + num(std));
  normalFill(tensor, mean, std, pick(gen));
  return tensor;
}

Tensor constant_(Tensor tensor, double value) {
  float v = static_cast<float>(value);
  float *data = tensor.data();
  for (int64_t i = 0, n = tensor.numel(); i < n; ++i)
    data[i] = v;
  return tensor;
}

Tensor zeros_(Tensor tensor) { return constant_(tensor, 0); }

Tensor ones_(Tensor tensor) { return constant_(tensor, 1); }

Tensor xavier_uniform_(Tensor tensor, double gain, Generator *gen) {
  auto [fanIn, fanOut] = calculate_fan_in_and_fan_out(tensor);
  double std = gain * std::sqrt(2.0 / static_cast<double>(fanIn + fanOut));
  double bound = std::sqrt(3.0) * std;
  return uniform_(tensor, -bound, bound, gen);
}

Tensor xavier_normal_(Tensor tensor, double gain, Generator *gen) {
  auto [fanIn, fanOut] = calculate_fan_in_and_fan_out(tensor);
  double std = gain * std::sqrt(2.0 / static_cast<double>(fanIn + fanOut));
  return normal_(tensor, 0, std, gen);
}

Tensor kaiming_uniform_(Tensor tensor, double a, const std::string &mode,
                        const std::string &nonlinearity, Generator *gen) {
  if (tensor.numel() == 0)
    return tensor;
  double std =
      calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(correctFan(tensor, mode)));
  double bound = std::sqrt(3.0) * std;
  return uniform_(tensor, -bound, bound, gen);
}

Tensor kaiming_normal_(Tensor tensor, double a, const std::string &mode,
                       const std::string &nonlinearity, Generator *gen) {
  if (tensor.numel() == 0)
    return tensor;
  double std =
      calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(correctFan(tensor, mode)));
  return normal_(tensor, 0, std, gen);
}

} // namespace nncc::nn::init
