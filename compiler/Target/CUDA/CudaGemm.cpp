// Matching contractions to column-major strided-batched GEMMs.
#include "compiler/Target/CUDA/CudaGemm.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/AffineExpr.h"

using namespace mlir;

namespace nncc {
namespace {

/// A matrix as cuBLAS takes it: op(X) is rows x cols; X is stored column-major with leading
/// dimension `ld`, transposed when `trans`.
struct Matrix {
  bool trans = false;
  int64_t ld = 0;
};

/// The rows x cols matrix whose element (i, j) is at i * rowStride + j * colStride, or nullopt
/// when neither dimension has a unit stride. A dimension of size 1 has any stride.
std::optional<Matrix> asColumnMajor(int64_t rows, int64_t cols, int64_t rowStride, int64_t colStride) {
  std::optional<Matrix> matrix;
  if (rows == 1 || rowStride == 1) // stored as is: column j starts at j * colStride
    matrix = Matrix{false, cols == 1 ? rows : colStride};
  else if (cols == 1 || colStride == 1) // the transpose is stored: row i starts at i * rowStride
    matrix = Matrix{true, rows == 1 ? cols : rowStride};
  // cuBLAS needs the leading dimension at least the stored matrix's row count.
  if (matrix && matrix->ld < std::max<int64_t>(matrix->trans ? cols : rows, 1))
    return std::nullopt;
  return matrix;
}

/// The stride of loop dimension `dim` in an operand indexed by `map`, 0 where it does not index it.
int64_t strideOf(AffineMap map, const StridedOperand &operand, unsigned dim) {
  for (auto [i, expr] : llvm::enumerate(map.getResults()))
    if (auto d = dyn_cast<AffineDimExpr>(expr); d && d.getPosition() == dim)
      return operand.strides[i];
  return 0;
}

} // namespace

std::optional<nlohmann::json> matchGemm(linalg::GenericOp op, ArrayRef<StridedOperand> operands) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 || operands.size() != 3 ||
      llvm::any_of(operands, [](const StridedOperand &o) { return o.arg < 0; }))
    return std::nullopt;
  for (Value v : op->getOperands())
    if (auto type = dyn_cast<MemRefType>(v.getType()); !type || !type.getElementType().isF32())
      return std::nullopt;
  if (!linalg::isaContractionOpInterface(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims = linalg::inferContractionDims(op);
  if (failed(dims) || dims->batch.size() > 1 || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1 || op.getNumLoops() != dims->batch.size() + 3)
    return std::nullopt;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation())
      return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  unsigned m = dims->m[0], n = dims->n[0], k = dims->k[0];
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto stride = [&](unsigned operand, unsigned dim) { return strideOf(maps[operand], operands[operand], dim); };

  // cuBLAS writes C with unit stride down a column. Where C has it along N instead (row-major),
  // it computes C^T = B^T A^T: the roles of A and B, and of M and N, swap.
  // With one row (a batch-1 Linear), the swap puts the output features down the columns, as
  // for any other batch: what a bias epilogue adds along.
  bool swap = ranges[m] != 1 ? stride(2, m) != 1 : ranges[n] != 1 && stride(2, n) == 1;
  unsigned rowsDim = swap ? n : m, colsDim = swap ? m : n;
  unsigned left = swap ? 1 : 0, right = swap ? 0 : 1;
  std::optional<Matrix> cm = asColumnMajor(ranges[rowsDim], ranges[colsDim], stride(2, rowsDim), stride(2, colsDim));
  std::optional<Matrix> lm = asColumnMajor(ranges[rowsDim], ranges[k], stride(left, rowsDim), stride(left, k));
  std::optional<Matrix> rm = asColumnMajor(ranges[k], ranges[colsDim], stride(right, k), stride(right, colsDim));
  if (!cm || cm->trans || !lm || !rm)
    return std::nullopt;
  int64_t batch = dims->batch.empty() ? 1 : ranges[dims->batch[0]];
  auto batchStride = [&](unsigned operand) {
    return dims->batch.empty() ? int64_t(0) : stride(operand, dims->batch[0]);
  };
  auto describe = [&](unsigned operand, const Matrix &matrix) {
    return nlohmann::json{{"arg", operands[operand].arg},
                          {"offset", operands[operand].offset},
                          {"ld", matrix.ld},
                          {"stride", batchStride(operand)}};
  };
  return nlohmann::json{{"op", "gemm"},
                        {"transa", lm->trans},
                        {"transb", rm->trans},
                        {"m", ranges[rowsDim]},
                        {"n", ranges[colsDim]},
                        {"k", ranges[k]},
                        {"batch", batch},
                        {"a", describe(left, *lm)},
                        {"b", describe(right, *rm)},
                        {"c", describe(2, *cm)}};
}

} // namespace nncc
