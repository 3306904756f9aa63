// GEMM epilogues: the elementwise op right after a matmul or convolution, computed on the kernel's
// register tile before it is stored (bias add, activation, residual add).
#pragma once

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace nncc {

/// An elementwise linalg.generic that reads a contraction's accumulator and can run inside it.
struct Epilogue {
  mlir::linalg::GenericOp op;
  /// The position, among the generic's inputs, of the accumulator it reads.
  unsigned accumulator;
  /// Where the epilogue writes (the accumulator itself, or another buffer of the same shape).
  mlir::Value output;
};

/// The epilogue of `contraction`, whose accumulator is `acc`, or nullopt. It must be the next op,
/// elementwise over `acc`'s shape, read `acc` once through the identity map and its other inputs
/// with the innermost output dimension innermost (or not at all), and only use arith and math
/// ops. When it writes another buffer, `acc` must have no later reader and the buffer must not
/// overlap what the contraction reads.
std::optional<Epilogue> findEpilogue(mlir::linalg::LinalgOp contraction, mlir::Value acc);

} // namespace nncc
