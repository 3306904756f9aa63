// Ops that losses, optimizers and gradient rules are built from: reductions, broadcasts,
// elementwise math, activation derivatives and one-hot targets.
#ifndef NN_TRAIN_OPS_TD
#define NN_TRAIN_OPS_TD

def NN_SumOp : NN_Op<"sum", [Pure]> {
  let summary = "sum over `dims`, as torch.sum(x, dims, keepdim)";
  let description = [{
    `dims` are distinct and non-negative; with `keepdim` the summed dims stay
    as size 1. The sum of every dim without keepdim is a 0-d tensor.

    ```mlir
    %s = nn.sum %x, dims = [0] : tensor<8x4xf32> -> tensor<4xf32>
    %k = nn.sum %x, dims = [1] {keepdim} : tensor<8x4xf32> -> tensor<8x1xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, DenseI64ArrayAttr:$dims, UnitAttr:$keepdim);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input `,` `dims` `=` $dims attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NN_ExpandOp : NN_Op<"expand", [Pure]> {
  let summary = "broadcasts to the result shape, as torch.Tensor.expand";
  let description = [{
    Numpy broadcasting: shapes align from the right and size-1 dims stretch.

    ```mlir
    %y = nn.expand %x : tensor<4xf32> -> tensor<8x4xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NN_ExpOp : NN_UnaryOp<"exp", "e^x, as torch.exp">;
def NN_LogOp : NN_UnaryOp<"log", "natural logarithm, as torch.log">;
def NN_SqrtOp : NN_UnaryOp<"sqrt", "square root, as torch.sqrt">;
def NN_AbsOp : NN_UnaryOp<"abs", "absolute value, as torch.abs">;
def NN_NegOp : NN_UnaryOp<"neg", "-x, as torch.neg">;

def NN_ActivationGradOp : NN_Op<"activation_grad", [Pure, SameOperandsAndResultType]> {
  let summary = "grad * f'(input) for an elementwise function f named by `kind`";
  let description = [{
    The backward of an elementwise op whose derivative is not itself a short
    chain of nn ops. `kind` is one of relu, leaky_relu (with `alpha` the
    negative slope), gelu, gelu_tanh, hardswish, sigmoid, tanh, silu, abs.
    The derivative is taken at `input`, the forward's operand; at a kink
    (relu and abs at 0) it is 0, as PyTorch's.

    ```mlir
    %dx = nn.activation_grad "relu" %dy, %x : tensor<2x512xf32>
    ```
  }];
  let arguments = (ins StrAttr:$kind, NN_Tensor:$grad, NN_Tensor:$input,
                       OptionalAttr<F64Attr>:$alpha);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$kind $grad `,` $input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def NN_OneHotOp : NN_Op<"one_hot", [Pure]> {
  let summary = "class indices to one-hot rows, with an ignored class giving a zero row";
  let description = [{
    `indices` [N...] become [N..., num_classes] with a 1 at each index.
    An index equal to `ignore_index` gives a row of zeros; any other index
    outside [0, num_classes) gives a row of zeros too (the runtime cannot
    raise; the frontend checks indices it knows). The last dim of the result
    is num_classes.

    ```mlir
    %t = nn.one_hot %y {ignore_index = -100 : i64} : tensor<8xi64> -> tensor<8x5xf32>
    ```
  }];
  let arguments = (ins NN_IndexTensor:$indices, OptionalAttr<I64Attr>:$ignore_index);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$indices attr-dict `:` type($indices) `->` type($result)";
  let hasVerifier = 1;
}

#endif // NN_TRAIN_OPS_TD
