// Transposes that move the innermost dimension (a Linear's weight laid out for the outer-product
// kernel, attention's K^T) as 8x8 register blocks, for nncc-generic-kernels.
#pragma once

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace nncc {

/// Replaces `op` with 8x8 block-transpose loops when it is a pure permutation copy of f32 memrefs
/// whose input and output are contiguous along different loop dimensions, both multiples of 8
/// long. Returns whether it did.
bool emitTransposeKernel(mlir::linalg::GenericOp op);

} // namespace nncc
