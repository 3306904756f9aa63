// trace(): a fresh context, a Recorder over the tree, and verification.
#include "frontend/Trace.h"
#include "dialects/nn/NNGradient.h"
#include "dialects/nn/NNOps.h"
#include "frontend/Error.h"
#include "frontend/Module.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

namespace nncc {

std::unique_ptr<mlir::MLIRContext> makeRecordingContext() {
  mlir::DialectRegistry registry;
  ir::registerGradientRules(registry);
  auto context = std::make_unique<mlir::MLIRContext>(registry);
  context->loadDialect<ir::NNDialect, mlir::func::FuncDialect>();
  return context;
}

TracedModel trace(nn::Module &module, const std::vector<InputSpec> &inputs,
                  const ForwardBody &body, const std::string &hookPoints) {
  TracedModel traced;
  traced.context = makeRecordingContext();
  mlir::OpBuilder b(traced.context.get());
  traced.module = mlir::ModuleOp::create(b.getUnknownLoc());
  Recorder recorder(module, *traced.module);
  recorder.setHookPoints(hookPoints);
  recorder.record("forward", inputs, body);
  traced.calls = recorder.calls();
  verifyRecorded(traced, module.name());
  return traced;
}

void verifyRecorded(TracedModel &traced, const std::string &name) {
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(traced.context.get(), [&](mlir::Diagnostic &d) {
    diagnostics += d.str();
    return mlir::success();
  });
  if (mlir::failed(mlir::verify(*traced.module)))
    throw Error("recorded IR of " + name + " does not verify: " + diagnostics);
}

std::string printIR(mlir::Operation *op, bool withLocations) {
  std::string text;
  llvm::raw_string_ostream os(text);
  mlir::OpPrintingFlags flags;
  if (withLocations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false).useLocalScope();
  op->print(os, flags);
  return text;
}

} // namespace nncc
