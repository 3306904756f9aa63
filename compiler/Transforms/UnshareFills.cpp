// nncc-unshare-fills: a filled tensor that several ops accumulate into gets one fill per user.
#include "compiler/Passes.h"

namespace nncc {
#define GEN_PASS_DEF_UNSHAREFILLS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

struct UnshareFillsPass : impl::UnshareFillsBase<UnshareFillsPass> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> shared;
    getOperation().walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics() && !fill->getResult(0).hasOneUse())
        shared.push_back(fill);
    });
    for (linalg::FillOp fill : shared) {
      Value result = fill->getResult(0);
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : result.getUses())
        uses.push_back(&use);
      // Each user gets a fill of a fresh tensor right before it, so that no buffer is live
      // longer than its user needs it.
      for (OpOperand *use : uses) {
        OpBuilder b(use->getOwner());
        auto type = cast<RankedTensorType>(result.getType());
        Value empty = b.create<tensor::EmptyOp>(fill.getLoc(), type.getShape(), type.getElementType());
        use->set(b.create<linalg::FillOp>(fill.getLoc(), fill.getInputs()[0], empty).getResult(0));
      }
      fill.erase();
    }
  }
};

} // namespace
} // namespace nncc
