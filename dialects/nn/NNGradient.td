// The gradient rule interface: each differentiable nn op builds its own vector-Jacobian product.
#ifndef NN_GRADIENT_TD
#define NN_GRADIENT_TD

include "mlir/IR/OpBase.td"

def NN_GradientOpInterface : OpInterface<"GradientOpInterface"> {
  let cppNamespace = "::nncc::ir";
  let description = [{
    An op's gradient rule. Given the gradient of the loss with respect to
    each of the op's results, it builds nn ops (at the builder's insertion
    point, with the op's location) computing the gradient with respect to
    each operand. The autodiff pass is generic: it walks the forward in
    reverse and asks each op for its rule; an op without the interface has
    no derivative and the pass reports it by module path.
  }];
  let methods = [
    InterfaceMethod<[{
        `resultGrads` has one entry per result: the gradient flowing into it,
        or a null Value when none does (e.g. batch_norm's updated running
        statistics). Fills `operandGrads` (resized to the operand count by
        the caller, all null) with one gradient per differentiable operand
        of the operand's type; operands without a gradient (indices,
        running statistics) stay null. Fails with a diagnostic when the
        op's configuration has no rule.
      }],
      "::mlir::LogicalResult", "buildGradient",
      (ins "::mlir::OpBuilder &":$b, "::mlir::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::MutableArrayRef<::mlir::Value>":$operandGrads)>
  ];
}

#endif // NN_GRADIENT_TD
