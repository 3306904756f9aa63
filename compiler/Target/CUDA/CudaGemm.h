// Which loop nests of the CUDA target run as cuBLAS GEMMs: f32 contractions with one M, N and K
// dimension (and at most one batch dimension) over buffers with a unit stride along one of each
// matrix's two dimensions, described as cublasSgemmStridedBatched's arguments.
#pragma once

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace nncc {

/// Where a memref operand's elements are: an entry argument, the element offset of its index 0,
/// and the stride of each of its dimensions.
struct StridedOperand {
  int arg = -1;
  int64_t offset = 0;
  llvm::SmallVector<int64_t> strides;
};

/// The GEMM `op` computes, as {"op": "gemm", "transa", "transb", "m", "n", "k", "batch",
/// "a"/"b"/"c": {"arg", "offset", "ld", "stride"}}: column-major C = op(A) op(B) + C (linalg
/// accumulates into its output; the emitter adds "beta": 0 where it drops the zero fill before),
/// batch times with the given element strides.
/// nullopt where `op` is not such a GEMM; `operands` are its inputs then its output.
std::optional<nlohmann::json> matchGemm(mlir::linalg::GenericOp op,
                                        llvm::ArrayRef<StridedOperand> operands);

} // namespace nncc
