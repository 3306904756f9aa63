// Interpreter rules of constant, sub, div, reshape, permute, narrow and concat, by index arithmetic.
#include "compiler/Interpreter/Rules.h"
#include "dialects/nn/NNOps.h"
#include "frontend/Error.h"

namespace nncc::interp {
namespace {

/// Copies a `box`-shaped block from `from` at `fromOffsets` into `to` at
/// `toOffsets`: narrow reads at an offset, concat writes at one.
void copyBox(const Tensor &from, const Shape &fromShape, const std::vector<int64_t> &fromOffsets,
             Tensor &to, const Shape &toShape, const std::vector<int64_t> &toOffsets, const Shape &box) {
  auto fromStrides = stridesOf(fromShape), toStrides = stridesOf(toShape), boxStrides = stridesOf(box);
  int64_t count = 1;
  for (int64_t d : box)
    count *= d;
  for (int64_t i = 0; i < count; ++i) {
    int64_t src = 0, dst = 0;
    for (size_t d = 0; d < box.size(); ++d) {
      int64_t index = i / boxStrides[d] % box[d];
      src += (index + fromOffsets[d]) * fromStrides[d];
      dst += (index + toOffsets[d]) * toStrides[d];
    }
    to.data()[dst] = from.data()[src];
  }
}

} // namespace

int64_t embeddingRow(mlir::Operation *op, float value, int64_t rows) {
  auto row = static_cast<int64_t>(value);
  if (static_cast<float>(row) != value || row < 0 || row >= rows)
    throw Error(where(op) + ": embedding index " + std::to_string(value) + " is out of range for a table of " +
                std::to_string(rows) + " rows");
  return row;
}

void addTensorOpsRules(RuleTable &table) {
  table[ir::ConstantOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &) {
    auto value = mlir::cast<mlir::DenseElementsAttr>(mlir::cast<ir::ConstantOp>(op).getValue());
    std::vector<float> data;
    for (float v : value.getValues<float>())
      data.push_back(v);
    return std::vector<Tensor>{Tensor::fromVector(shapeOf(op->getResult(0)), data)};
  };
  table[ir::SubOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    return std::vector<Tensor>{broadcast(in[0], in[1], shapeOf(op->getResult(0)),
                                         [](float a, float b) { return a - b; })};
  };
  table[ir::DivOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    return std::vector<Tensor>{broadcast(in[0], in[1], shapeOf(op->getResult(0)),
                                         [](float a, float b) { return a / b; })};
  };
  table[ir::ReshapeOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    return std::vector<Tensor>{Tensor::fromVector(
        shapeOf(op->getResult(0)), std::vector<float>(in[0].data(), in[0].data() + in[0].numel()))};
  };
  table[ir::PermuteOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    auto dims = mlir::cast<ir::PermuteOp>(op).getDims();
    Shape outShape = shapeOf(op->getResult(0));
    Tensor out = Tensor::empty(outShape);
    auto inStrides = stridesOf(in[0].shape()), outStrides = stridesOf(outShape);
    for (int64_t i = 0; i < out.numel(); ++i) {
      int64_t src = 0;
      for (size_t d = 0; d < outShape.size(); ++d)
        src += (i / outStrides[d] % outShape[d]) * inStrides[dims[d]];
      out.data()[i] = in[0].data()[src];
    }
    return std::vector<Tensor>{out};
  };
  table[ir::NarrowOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    auto narrow = mlir::cast<ir::NarrowOp>(op);
    Shape outShape = shapeOf(op->getResult(0));
    Tensor out = Tensor::empty(outShape);
    std::vector<int64_t> offsets(outShape.size(), 0), zeros(outShape.size(), 0);
    offsets[narrow.getDim()] = static_cast<int64_t>(narrow.getStart());
    copyBox(in[0], in[0].shape(), offsets, out, outShape, zeros, outShape);
    return std::vector<Tensor>{out};
  };
  table[ir::EmbeddingOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    const Tensor &indices = in[0], &weight = in[1];
    int64_t rows = weight.shape()[0], dim = weight.shape()[1];
    Tensor out = Tensor::empty(shapeOf(op->getResult(0)));
    for (int64_t i = 0; i < indices.numel(); ++i) {
      int64_t row = embeddingRow(op, indices.data()[i], rows);
      std::copy_n(weight.data() + row * dim, dim, out.data() + i * dim);
    }
    return std::vector<Tensor>{out};
  };
  table[ir::ConcatOp::getOperationName()] = [](mlir::Operation *op, const std::vector<Tensor> &in) {
    auto dim = static_cast<size_t>(mlir::cast<ir::ConcatOp>(op).getDim());
    Shape outShape = shapeOf(op->getResult(0));
    Tensor out = Tensor::empty(outShape);
    std::vector<int64_t> offsets(outShape.size(), 0), zeros(outShape.size(), 0);
    for (const Tensor &t : in) {
      copyBox(t, t.shape(), zeros, out, outShape, offsets, t.shape());
      offsets[dim] += t.shape()[dim];
    }
    return std::vector<Tensor>{out};
  };
}

} // namespace nncc::interp
