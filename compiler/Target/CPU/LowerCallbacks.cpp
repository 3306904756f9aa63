// nncc-lower-callbacks: a bufferized hook point becomes a call into the runtime with data pointers.
#include "compiler/Passes.h"
#include "dialects/nn/NNOps.h"

namespace nncc {
#define GEN_PASS_DEF_LOWERCALLBACKS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

/// The address of `buffer`'s first element, as an LLVM pointer: the aligned pointer of the
/// buffer its views start from (a function argument or an allocation), plus the byte shifts of
/// the memref.views on the way (into the arena), plus the buffer's own offset. The views' own
/// aligned pointers are not used: expand-strided-metadata folds them to their source's, which
/// drops a memref.view's shift.
Value dataPointer(OpBuilder &b, Location loc, Value buffer) {
  auto type = cast<MemRefType>(buffer.getType());
  auto metadata = b.create<memref::ExtractStridedMetadataOp>(loc, buffer);
  Value elementBytes = b.create<arith::ConstantIndexOp>(loc, type.getElementTypeBitWidth() / 8);
  Value address = b.create<arith::MulIOp>(loc, metadata.getOffset(), elementBytes);
  Value source = buffer;
  while (auto viewLike = source.getDefiningOp<ViewLikeOpInterface>()) {
    if (auto view = dyn_cast<memref::ViewOp>(viewLike.getOperation()))
      address = b.create<arith::AddIOp>(loc, address, view.getByteShift());
    source = viewLike.getViewSource();
  }
  Value base = b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, source);
  address = b.create<arith::AddIOp>(loc, base, address);
  Value asInt = b.create<arith::IndexCastOp>(loc, b.getI64Type(), address);
  return b.create<LLVM::IntToPtrOp>(loc, LLVM::LLVMPointerType::get(b.getContext()), asInt);
}

struct LowerCallbacksPass : impl::LowerCallbacksBase<LowerCallbacksPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<ir::CallbackOp> callbacks;
    module.walk([&](ir::CallbackOp op) { callbacks.push_back(op); });
    if (callbacks.empty())
      return;
    OpBuilder b(module.getBodyRegion());
    auto ptr = LLVM::LLVMPointerType::get(&getContext());
    auto calleeType = b.getFunctionType({b.getI64Type(), ptr, ptr}, {});
    auto callee = module.lookupSymbol<func::FuncOp>(kHookSymbol);
    if (!callee) {
      callee = b.create<func::FuncOp>(module.getLoc(), kHookSymbol, calleeType);
      callee.setPrivate();
    }
    for (ir::CallbackOp op : callbacks) {
      if (!op.getSite()) {
        op.emitOpError("has no site number; nncc-describe-abi numbers hook points");
        return signalPassFailure();
      }
      b.setInsertionPoint(op);
      Location loc = op.getLoc();
      Value site = b.create<arith::ConstantIntOp>(loc, *op.getSite(), 64);
      Value data = dataPointer(b, loc, op.getBuffer());
      Value input = op.getModuleInput() ? dataPointer(b, loc, op.getModuleInput())
                                        : b.create<LLVM::ZeroOp>(loc, ptr).getResult();
      b.create<func::CallOp>(loc, callee, ValueRange{site, data, input});
      op.erase();
    }
  }
};

} // namespace
} // namespace nncc
