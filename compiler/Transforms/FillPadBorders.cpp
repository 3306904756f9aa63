// nncc-fill-pad-borders: a padded buffer's fill covers only the border its copy leaves
// (see Passes.td).
#include "compiler/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace nncc {
#define GEN_PASS_DEF_FILLPADBORDERS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

/// The value an input-less linalg.map writes everywhere, when it is defined outside its body.
Value constantOf(linalg::MapOp map) {
  if (!map.getInputs().empty())
    return {};
  Value value = map.getMapper().front().getTerminator()->getOperand(0);
  return value.getParentRegion() == &map.getMapper() ? Value() : value;
}

/// The unit-stride subview of `buffer` that the op right after `fill` copies into, skipping the
/// subviews and constants in between; null when anything else comes first.
memref::SubViewOp interiorCopiedAfter(linalg::FillOp fill, Value buffer) {
  for (Operation *op = fill->getNextNode(); op; op = op->getNextNode()) {
    if (isa<memref::SubViewOp, arith::ConstantOp>(op))
      continue;
    auto copy = dyn_cast<linalg::CopyOp>(op);
    if (!copy)
      return {};
    auto view = copy.getOutputs()[0].getDefiningOp<memref::SubViewOp>();
    if (!view || view.getSource() != buffer || copy.getInputs()[0] == buffer ||
        !view.hasUnitStride() || ShapedType::isDynamicShape(view.getStaticOffsets()) ||
        ShapedType::isDynamicShape(view.getStaticSizes()) ||
        view.getStaticSizes().size() != view.getStaticOffsets().size())
      return {};
    return view;
  }
  return {};
}

/// Fills `buffer` but for the box [offsets, offsets + sizes): along each dimension d, the slabs
/// before and after the box, within the box along the dimensions before d.
void fillAround(OpBuilder &b, Location loc, Value value, Value buffer, ArrayRef<int64_t> offsets,
                ArrayRef<int64_t> sizes) {
  ArrayRef<int64_t> shape = cast<MemRefType>(buffer.getType()).getShape();
  SmallVector<int64_t> lo(shape.size(), 0), extent(shape.begin(), shape.end());
  SmallVector<int64_t> ones(shape.size(), 1);
  auto fillBox = [&](ArrayRef<int64_t> at, ArrayRef<int64_t> size) {
    Value slab = b.create<memref::SubViewOp>(loc, buffer, at, size, ones);
    b.create<linalg::FillOp>(loc, value, slab);
  };
  for (size_t d = 0; d < shape.size(); ++d) {
    if (offsets[d] > 0) {
      SmallVector<int64_t> at = lo, size = extent;
      at[d] = 0;
      size[d] = offsets[d];
      fillBox(at, size);
    }
    if (offsets[d] + sizes[d] < shape[d]) {
      SmallVector<int64_t> at = lo, size = extent;
      at[d] = offsets[d] + sizes[d];
      size[d] = shape[d] - at[d];
      fillBox(at, size);
    }
    lo[d] = offsets[d];
    extent[d] = sizes[d];
  }
}

struct FillPadBordersPass : impl::FillPadBordersBase<FillPadBordersPass> {
  void runOnOperation() override {
    // An input-less map (what bufferization makes of a pad's padding value) is a fill.
    SmallVector<linalg::MapOp> maps;
    getOperation().walk([&](linalg::MapOp map) {
      if (map.hasPureBufferSemantics() && constantOf(map))
        maps.push_back(map);
    });
    for (linalg::MapOp map : maps) {
      OpBuilder b(map);
      b.create<linalg::FillOp>(map.getLoc(), constantOf(map), map.getInit());
      map.erase();
    }
    SmallVector<std::pair<linalg::FillOp, memref::SubViewOp>> pads;
    getOperation().walk([&](linalg::FillOp fill) {
      Value buffer = fill.getOutputs()[0];
      auto type = dyn_cast<MemRefType>(buffer.getType());
      if (!type || !type.hasStaticShape())
        return;
      if (memref::SubViewOp interior = interiorCopiedAfter(fill, buffer))
        pads.emplace_back(fill, interior);
    });
    for (auto [fill, interior] : pads) {
      OpBuilder b(fill);
      fillAround(b, fill.getLoc(), fill.getInputs()[0], fill.getOutputs()[0],
                 interior.getStaticOffsets(), interior.getStaticSizes());
      fill.erase();
    }
  }
};

} // namespace
} // namespace nncc
