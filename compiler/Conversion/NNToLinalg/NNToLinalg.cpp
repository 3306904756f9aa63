// nncc-convert-nn-to-linalg: every op family's patterns, applied as one partial conversion.
#include "compiler/Conversion/NNToLinalg/Patterns.h"
#include "compiler/Passes.h"
#include "dialects/nn/NNOps.h"

namespace nncc {
#define GEN_PASS_DEF_CONVERTNNTOLINALG
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

struct ConvertNNToLinalgPass : impl::ConvertNNToLinalgBase<ConvertNNToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect, arith::ArithDialect,
                           func::FuncDialect>();
    target.addLegalOp<ir::ParameterOp, ir::BufferOp, ir::GetOp>();
    RewritePatternSet patterns(ctx);
    lowering::populateCoreLowering(patterns, target);
    lowering::populateModeLowering(patterns, target);
    lowering::populateTensorOpsLowering(patterns, target);
    lowering::populateActivationLowering(patterns, target);
    lowering::populateConvLowering(patterns, target);
    lowering::populateTrainOpsLowering(patterns, target);
    lowering::populateGradOpsLowering(patterns, target);
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace nncc
