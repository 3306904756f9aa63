// The CPU pipeline: nn → linalg → fused → bufferized and planned → LLVM dialect.
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace nncc {

/// Copies become linalg.copy, which lowers to plain loops: memref.copy of a
/// strided view would call a runtime library the artifact does not link.
static LogicalResult copyAsLoops(OpBuilder &b, Location loc, Value from, Value to) {
  b.create<linalg::CopyOp>(loc, from, to);
  return success();
}

static void addBufferization(OpPassManager &pm, const CpuPipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(createUnshareFills());
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createEmptyTensorToAllocTensorPass());
  bufferization::OneShotBufferizationOptions bufferize;
  bufferize.memCpyFn = copyAsLoops;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsOpts outParams;
  outParams.hoistStaticAllocs = true;
  outParams.memCpyFn = copyAsLoops;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createFillPadBorders());
  pm.addPass(createOrderGlobals());
  pm.addNestedPass<func::FuncOp>(createUpdateInPlace());
  pm.addNestedPass<func::FuncOp>(createPlanMemory());
  pm.addPass(createDescribeAbi(DescribeAbiOptions{options.modelName, options.isa}));
}

static void addLoops(OpPassManager &pm, const CpuPipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(
      createContractionKernels({options.vectorBits, options.fusion.epilogue}));
  pm.addNestedPass<func::FuncOp>(createGenericKernels({options.vectorBits}));
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createOutlineParallel());
  pm.addPass(createLowerCallbacks());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

static void addLoweringToLLVM(OpPassManager &pm) {
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  // tanh and erf have no LLVM intrinsic: they become calls to libm's tanhf and erff.
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcOptions;
  funcOptions.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcOptions));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createDispatchParallel());
  pm.addPass(createEmitEntryPoints());
}

void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options) {
  auto runs = [&](CpuStage stage) {
    return options.startAfter < stage && stage <= options.stopAfter;
  };
  if (runs(CpuStage::Autodiff))
    pm.addPass(createSelectHookPoints({options.hookPoints, options.stripHooks}));
  if (runs(CpuStage::Autodiff) && options.train) {
    pm.addPass(createGenerateBackward());
    pm.addPass(createGenerateTrainStep());
    pm.addPass(createCSEPass());
  }
  if (runs(CpuStage::Linalg)) {
    if (options.fusion.bnFold)
      pm.addPass(createFoldBatchNorm());
    pm.addPass(createStateToArgs());
    pm.addPass(createConvertNNToLinalg());
    pm.addPass(createCanonicalizerPass());
  }
  if (runs(CpuStage::Fused)) {
    if (options.cpuLayouts)
      pm.addNestedPass<func::FuncOp>(createUntransposeMatmuls());
    pm.addNestedPass<func::FuncOp>(createFuseElementwise(
        {options.fusion.elementwise, options.fusion.multiOutput, options.annotateFusion}));
    pm.addPass(createCSEPass());
  }
  if (runs(CpuStage::Memref))
    addBufferization(pm, options);
  if (runs(CpuStage::Loops))
    addLoops(pm, options);
  if (runs(CpuStage::LLVM))
    addLoweringToLLVM(pm);
}

void registerCpuPipeline() {
  PassPipelineRegistration<>("nncc-cpu-pipeline",
                             "lowers an nn module to the LLVM dialect with nncc's entry points",
                             [](OpPassManager &pm) { buildCpuPipeline(pm, {}); });
}

} // namespace nncc
