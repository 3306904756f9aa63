// The CUDA target's compile: memref stage, generalization, emission.
#include "compiler/Target/CUDA/CudaCompile.h"
#include "compiler/Driver/Driver.h"
#include "compiler/Passes.h"
#include "frontend/Error.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"

namespace nncc {

CudaArtifact compileCuda(mlir::ModuleOp module, CpuPipelineOptions options) {
  options.startAfter = CpuStage::NN;
  options.stopAfter = CpuStage::Memref;
  options.cpuLayouts = false;
  options.isa.clear();
  runCpuPipeline(module, options);
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(module.getContext(), [&](mlir::Diagnostic &d) {
    if (diagnostics.empty())
      diagnostics = d.str();
    return mlir::success();
  });
  // Every linalg op as a linalg.generic, one kernel shape to emit, except the convolutions that
  // run as im2col and a GEMM.
  mlir::IRRewriter rewriter(module.getContext());
  llvm::SmallVector<mlir::linalg::LinalgOp> named;
  module.walk([&](mlir::linalg::LinalgOp op) {
    auto conv = mlir::dyn_cast<mlir::linalg::Conv2DNchwFchwOp>(op.getOperation());
    if (!mlir::isa<mlir::linalg::GenericOp>(op) && !(conv && convAsGemm(conv)))
      named.push_back(op);
  });
  for (mlir::linalg::LinalgOp op : named) {
    rewriter.setInsertionPoint(op);
    if (mlir::failed(mlir::linalg::generalizeNamedOp(rewriter, op)))
      throw Error("the CUDA target cannot generalize " + op->getName().getStringRef().str());
  }
  mlir::FailureOr<CudaProgram> program = emitCuda(module);
  if (mlir::failed(program))
    throw Error(diagnostics.empty() ? "CUDA emission failed" : diagnostics);
  auto manifest = module->getAttrOfType<mlir::StringAttr>(kManifestAttr);
  return {*program, manifest ? manifest.str() : std::string()};
}

std::map<std::string, std::string> compileImages(const std::string &source) {
  std::map<std::string, std::string> images;
  if (haveNvrtc())
    for (const char *arch : {"sm_80", "sm_90", "compute_80", "compute_90"})
      images[arch] = compileForArch(source, arch);
  return images;
}

std::string imageSuffix(const std::string &arch) {
  return "." + arch + (arch.rfind("sm_", 0) == 0 ? ".cubin" : ".ptx");
}

} // namespace nncc
