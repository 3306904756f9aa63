// How one-shot bufferization treats nn.hook: in place on its input's buffer, as an nn.callback.
//
// The hook reads and overwrites its input, so the analysis copies the input first wherever the
// original value is still needed elsewhere: the tapped tensor is materialised, and nothing else
// changes. Callbacks get contiguous memory, so a strided view is copied into a fresh buffer.
#include "compiler/Registration.h"
#include "dialects/nn/NNOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::bufferization;

namespace nncc {
namespace {

/// `value`'s buffer, copied into a new identity-layout buffer when it is a strided view.
FailureOr<Value> contiguousBuffer(RewriterBase &rewriter, Location loc, Value value,
                                  const BufferizationOptions &options) {
  FailureOr<Value> buffer = getBuffer(rewriter, value, options);
  if (failed(buffer))
    return failure();
  auto type = cast<MemRefType>(buffer->getType());
  if (type.getLayout().isIdentity())
    return buffer;
  auto contiguous = MemRefType::get(type.getShape(), type.getElementType());
  FailureOr<Value> copy = options.createAlloc(rewriter, loc, contiguous, {});
  if (failed(copy) || failed(options.createMemCpy(rewriter, loc, *buffer, *copy)))
    return failure();
  return copy;
}

struct HookOpBufferization
    : BufferizableOpInterface::ExternalModel<HookOpBufferization, ir::HookOp> {
  bool bufferizesToMemoryRead(Operation *, OpOperand &, const AnalysisState &) const {
    return true;
  }
  bool bufferizesToMemoryWrite(Operation *op, OpOperand &operand, const AnalysisState &) const {
    return operand.get() == cast<ir::HookOp>(op).getInput();
  }
  AliasingValueList getAliasingValues(Operation *op, OpOperand &operand,
                                      const AnalysisState &) const {
    auto hook = cast<ir::HookOp>(op);
    if (operand.get() != hook.getInput())
      return {};
    return {{hook.getResult(), BufferRelation::Equivalent, /*isDefinite=*/true}};
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options) const {
    auto hook = cast<ir::HookOp>(op);
    FailureOr<Value> buffer = contiguousBuffer(rewriter, op->getLoc(), hook.getInput(), options);
    if (failed(buffer))
      return failure();
    Value moduleInput;
    if (hook.getModuleInput()) {
      FailureOr<Value> in =
          contiguousBuffer(rewriter, op->getLoc(), hook.getModuleInput(), options);
      if (failed(in))
        return failure();
      moduleInput = *in;
    }
    rewriter.create<ir::CallbackOp>(op->getLoc(), hook.getKindAttr(), hook.getPathAttr(), *buffer,
                                    moduleInput, hook.getModuleClassAttr(), IntegerAttr());
    replaceOpWithBufferizedValues(rewriter, op, *buffer);
    return success();
  }
};

} // namespace

void registerHookBufferization(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, ir::NNDialect *) {
    ir::HookOp::attachInterface<HookOpBufferization>(*ctx);
  });
}

} // namespace nncc
