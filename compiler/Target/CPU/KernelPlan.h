// How nncc-contraction-kernels tiles one multiply-accumulate linalg op: which loop dimension is
// vectorized, which are register-tiled, and the tile sizes for the target's registers.
#pragma once

#include "compiler/Target/CPU/LoopEmitter.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace nncc {

/// The vector registers of the target.
struct VectorTarget {
  /// f32 lanes per vector register.
  int64_t lanes;
  /// Architectural vector registers (16 for AVX2, 32 with AVX-512).
  int64_t registers;
  static VectorTarget forBits(int64_t bits);
};

enum class KernelShape {
  /// Vectors along an output dimension n: C[m, n:n+V] += A[m] * B[n:n+V].
  OuterProduct,
  /// Vectors along the reduction dimension k: C[m, n] += sum(A[m, k:k+V] * B[n, k:k+V]).
  Dot,
};

struct KernelPlan {
  KernelShape shape;
  /// a: the broadcast operand (outer product) or the first dot operand; b: the vector operand
  /// (outer product) or the second; c: the accumulator.
  Access a, b, c;
  /// The register-tiled dimensions: m is absent when the output has no dimension for it.
  std::optional<unsigned> m;
  unsigned n;
  /// Dot: the vectorized reduction dimension.
  unsigned k = 0;
  /// Outer product: the distance in elements between B's consecutive n.
  int64_t stride = 1;
  /// Parallel loop dimensions outside the tile, and (outer product) the reduction loops.
  llvm::SmallVector<unsigned> outer, reductions;
  /// Tile: mr rows of m; nr vectors of n (outer product) or nr columns of n (dot).
  int64_t mr, nr;
  int64_t lanes;
  llvm::SmallVector<int64_t> ranges;
};

/// The kernel for `op`, or nullopt when `op` is not an f32 multiply-accumulate on static memrefs
/// with a unit-stride operand the kernels can vectorize.
std::optional<KernelPlan> planKernel(mlir::linalg::LinalgOp op, const VectorTarget &target);

} // namespace nncc
