// Recording constants, sub/div, reshape, permute, narrow, chunk and cat; the SymTensor operators.
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/functional/Record.h"

#include "mlir/IR/BuiltinAttributes.h"

namespace nncc {

using namespace functional_detail;

namespace nn::functional {

SymTensor sub(const SymTensor &a, const SymTensor &b) {
  Recorder &rec = recorderOf("sub", {&a, &b});
  return build<ir::SubOp>(
      rec, "sub", [&](std::string &e) { return ir::broadcastShape(a.shape(), b.shape(), e); },
      valueOf(a), valueOf(b));
}

SymTensor div(const SymTensor &a, const SymTensor &b) {
  Recorder &rec = recorderOf("div", {&a, &b});
  return build<ir::DivOp>(
      rec, "div", [&](std::string &e) { return ir::broadcastShape(a.shape(), b.shape(), e); },
      valueOf(a), valueOf(b));
}

SymTensor full(const std::vector<int64_t> &shape, double value, const SymTensor &like) {
  Recorder &rec = recorderOf("full", {&like});
  auto type = tensorTypeOf(rec.builder().getContext(), shape);
  auto attr = mlir::DenseElementsAttr::get(type, static_cast<float>(value));
  return build<ir::ConstantOp>(
      rec, "full", [&](std::string &) { return std::optional<ir::Dims>(shape); }, attr);
}

SymTensor scalar(double value, const SymTensor &like) { return full({}, value, like); }

SymTensor bilinear(const SymTensor &input1, const SymTensor &input2, const SymTensor &weight,
                   const SymTensor &bias) {
  Recorder &rec = recorderOf("bilinear", {&input1, &input2, &weight});
  if (input1.dim() != 2 || input2.dim() != 2 || weight.dim() != 3 ||
      input1.size(0) != input2.size(0) || input1.size(1) != weight.size(1) ||
      input2.size(1) != weight.size(2))
    rec.fail("bilinear", "inputs " + ir::formatDims(input1.shape()) + " and " +
                             ir::formatDims(input2.shape()) + " do not fit weight " +
                             ir::formatDims(weight.shape()) + " ([N, in1], [N, in2], [out, in1, in2])");
  int64_t n = input1.size(0), out = weight.size(0), in1 = weight.size(1), in2 = weight.size(2);
  // t[n, o*in2 + j] = sum_i x1[n, i] W[o, i, j]; y[n, o] = sum_j t[n, o, j] x2[n, j].
  SymTensor w = weight.permute({1, 0, 2}).reshape({in1, out * in2});
  SymTensor t = F::matmul(input1, w).reshape({n, out, in2});
  SymTensor y = F::matmul(t, input2.reshape({n, in2, 1})).reshape({n, out});
  return bias.defined() ? y + bias : y;
}

SymTensor embedding(const SymTensor &indices, const SymTensor &weight,
                    std::optional<int64_t> padding_idx) {
  Recorder &rec = recorderOf("embedding", {&weight});
  if (!indices.defined() || !indices.is_index())
    rec.fail("embedding", "indices must be an int64 tensor (an input declared with DType::i64)");
  if (indices.recorder() != &rec)
    rec.fail("embedding", "operands come from different recordings");
  std::optional<int64_t> padding;
  if (padding_idx) {
    int64_t rows = weight.dim() == 2 ? weight.size(0) : 0;
    if (*padding_idx >= rows || *padding_idx < -rows)
      rec.fail("embedding", "Padding_idx must be within num_embeddings");
    padding = *padding_idx < 0 ? *padding_idx + rows : *padding_idx;
  }
  return build<ir::EmbeddingOp>(
      rec, "embedding",
      [&](std::string &e) { return ir::embeddingShape(indices.shape(), weight.shape(), e); },
      valueOf(indices), valueOf(weight),
      padding ? rec.builder().getI64IntegerAttr(*padding) : mlir::IntegerAttr());
}

SymTensor cat(const std::vector<SymTensor> &tensors, int64_t dim) {
  if (tensors.empty())
    throw Error("torch.cat(): expected a non-empty list of Tensors");
  Recorder &rec = recorderOf("cat", {&tensors[0]});
  std::vector<ir::Dims> shapes;
  llvm::SmallVector<mlir::Value> values;
  for (const SymTensor &t : tensors) {
    recorderOf("cat", {&t});
    shapes.push_back(t.shape());
    values.push_back(valueOf(t));
  }
  std::string error;
  std::optional<ir::Dims> shape = ir::concatShape(shapes, dim, error);
  if (!shape)
    rec.fail("cat", error);
  int64_t normalized = ir::normalizeDim(dim, static_cast<int64_t>(shapes[0].size()), error);
  auto op = rec.builder().create<ir::ConcatOp>(rec.location(),
                                               tensorTypeOf(rec.builder().getContext(), *shape),
                                               values, normalized);
  return SymTensor(&rec, op.getResult().getAsOpaquePointer(), *shape);
}

} // namespace nn::functional

SymTensor SymTensor::reshape(const std::vector<int64_t> &shape) const {
  Recorder &rec = recorderOf("reshape", {this});
  return build<ir::ReshapeOp>(
      rec, "reshape", [&](std::string &e) { return ir::reshapeShape(shape_, shape, e); },
      valueOf(*this));
}

SymTensor SymTensor::permute(const std::vector<int64_t> &dims) const {
  Recorder &rec = recorderOf("permute", {this});
  std::string error;
  std::optional<ir::Dims> shape = ir::permuteShape(shape_, dims, error);
  if (!shape)
    rec.fail("permute", error);
  llvm::SmallVector<int64_t> normalized;
  for (int64_t d : dims)
    normalized.push_back(ir::normalizeDim(d, dim(), error));
  auto op = rec.builder().create<ir::PermuteOp>(
      rec.location(), tensorTypeOf(rec.builder().getContext(), *shape), valueOf(*this), normalized);
  return SymTensor(&rec, op.getResult().getAsOpaquePointer(), *shape);
}

SymTensor SymTensor::transpose(int64_t dim0, int64_t dim1) const {
  Recorder &rec = recorderOf("transpose", {this});
  std::string error;
  int64_t a = ir::normalizeDim(dim0, dim(), error), b = ir::normalizeDim(dim1, dim(), error);
  if (a < 0 || b < 0)
    rec.fail("transpose", error);
  std::vector<int64_t> dims(static_cast<size_t>(dim()));
  for (int64_t i = 0; i < dim(); ++i)
    dims[i] = i;
  std::swap(dims[a], dims[b]);
  return permute(dims);
}

SymTensor SymTensor::narrow(int64_t dimension, int64_t start, int64_t length) const {
  Recorder &rec = recorderOf("narrow", {this});
  std::string error;
  std::optional<ir::Dims> shape = ir::narrowShape(shape_, dimension, start, length, error);
  if (!shape)
    rec.fail("narrow", error);
  int64_t d = ir::normalizeDim(dimension, dim(), error);
  auto op = rec.builder().create<ir::NarrowOp>(rec.location(),
                                               tensorTypeOf(rec.builder().getContext(), *shape),
                                               valueOf(*this), d, start, length);
  return SymTensor(&rec, op.getResult().getAsOpaquePointer(), *shape);
}

std::vector<SymTensor> SymTensor::chunk(int64_t chunks, int64_t dimension) const {
  Recorder &rec = recorderOf("chunk", {this});
  if (chunks <= 0)
    rec.fail("chunk", "chunk expects `chunks` to be greater than 0, got: " + std::to_string(chunks));
  int64_t extent = size(dimension);
  int64_t each = (extent + chunks - 1) / chunks;
  std::vector<SymTensor> pieces;
  for (int64_t start = 0; start < extent; start += each)
    pieces.push_back(narrow(dimension, start, std::min(each, extent - start)));
  return pieces;
}

SymTensor operator-(const SymTensor &a, const SymTensor &b) { return F::sub(a, b); }
SymTensor operator/(const SymTensor &a, const SymTensor &b) { return F::div(a, b); }
SymTensor operator+(const SymTensor &a, double b) { return F::add(a, F::scalar(b, a)); }
SymTensor operator-(const SymTensor &a, double b) { return F::sub(a, F::scalar(b, a)); }
SymTensor operator*(const SymTensor &a, double b) { return F::mul(a, F::scalar(b, a)); }
SymTensor operator/(const SymTensor &a, double b) { return F::div(a, F::scalar(b, a)); }
SymTensor operator+(double a, const SymTensor &b) { return F::add(F::scalar(a, b), b); }
SymTensor operator-(double a, const SymTensor &b) { return F::sub(F::scalar(a, b), b); }
SymTensor operator*(double a, const SymTensor &b) { return F::mul(F::scalar(a, b), b); }
SymTensor operator-(const SymTensor &a) { return F::mul(a, F::scalar(-1.0, a)); }

} // namespace nncc
