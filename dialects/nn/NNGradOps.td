// Backward-only ops of the convolution, pooling and embedding families: the parts of their
// gradient rules that are not themselves forward ops.
#ifndef NN_GRAD_OPS_TD
#define NN_GRAD_OPS_TD

def NN_Conv2dWeightGradOp : NN_Op<"conv2d_weight_grad", [Pure]> {
  let summary = "gradient of nn.conv2d with respect to its weight";
  let description = [{
    For the convolution y = conv2d(`input`, w) with these attributes and a
    weight of the result's shape [O, C/groups, kH, kW], the gradient of w
    given `grad`, the gradient of y:
    result[o, c, ky, kx] = sum over n, oy, ox of
    input[n, g(o) * C/groups + c, oy * s - p + ky * d, ox * s - p + kx * d] * grad[n, o, oy, ox]
    (positions in the zero padding read 0). `grad` has y's shape.

    nn.conv_transpose2d's weight gradient is the same op with the roles
    swapped: `input` is the gradient of its result and `grad` its input.

    ```mlir
    %dw = nn.conv2d_weight_grad %x, %dy {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                                         dilation = array<i64: 1, 1>, groups = 1 : i64}
        : tensor<1x3x8x8xf32>, tensor<1x4x4x4xf32> -> tensor<4x3x3x3xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$grad, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$padding, DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $grad attr-dict `:` type($input) `,` type($grad) `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_PadGradOp : NN_Op<"pad_grad", [Pure]> {
  let summary = "gradient of nn.pad with respect to its input";
  let description = [{
    Each element of the result is the sum of `grad` over the positions of
    the padded tensor that nn.pad with these `pads` ([left, right, top,
    bottom] of the last two dims) and `mode` copied it to. In constant mode
    that is the unpadded middle.

    ```mlir
    %dx = nn.pad_grad %dy {mode = "reflect", pads = array<i64: 1, 1, 2, 0>}
        : tensor<1x3x10x10xf32> -> tensor<1x3x8x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$grad, DenseI64ArrayAttr:$pads, StrAttr:$mode);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$grad attr-dict `:` type($grad) `->` type($result)";
  let hasVerifier = 1;
}

def NN_MaxPool2dGradOp : NN_Op<"max_pool2d_grad", [Pure]> {
  let summary = "gradient of nn.max_pool2d with respect to its input";
  let description = [{
    Recomputes each window's argmax over `input` (the first maximum in
    window order, a NaN winning, as PyTorch) and adds the window's `grad`
    there; every other element gets 0. The attributes are the forward's.

    ```mlir
    %dx = nn.max_pool2d_grad %x, %dy {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>,
                                      padding = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
                                      ceil_mode = false}
        : tensor<1x8x16x16xf32>, tensor<1x8x8x8xf32> -> tensor<1x8x16x16xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$grad, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, BoolAttr:$ceil_mode);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $grad attr-dict `:` type($input) `,` type($grad) `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_AvgPool2dGradOp : NN_Op<"avg_pool2d_grad", [Pure]> {
  let summary = "gradient of nn.avg_pool2d with respect to its input";
  let description = [{
    Each window's `grad`, divided by the forward's divisor for that window,
    is added to every input element the window covers. The result type is
    the forward's input type; the attributes are the forward's.

    ```mlir
    %dx = nn.avg_pool2d_grad %dy {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>,
                                  padding = array<i64: 1, 1>, ceil_mode = true, count_include_pad = false}
        : tensor<1x8x4x4xf32> -> tensor<1x8x6x6xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$grad, DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$padding, BoolAttr:$ceil_mode, BoolAttr:$count_include_pad,
                       OptionalAttr<I64Attr>:$divisor_override);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$grad attr-dict `:` type($grad) `->` type($result)";
  let hasVerifier = 1;
}

def NN_AdaptiveAvgPool2dGradOp : NN_Op<"adaptive_avg_pool2d_grad", [Pure]> {
  let summary = "gradient of nn.adaptive_avg_pool2d with respect to its input";
  let description = [{
    Each window's `grad`, divided by the window's size, is added to every
    input element of the window; the windows are nn.adaptive_avg_pool2d's
    for an input of the result's shape.

    ```mlir
    %dx = nn.adaptive_avg_pool2d_grad %dy : tensor<1x8x3x2xf32> -> tensor<1x8x7x5xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$grad);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$grad attr-dict `:` type($grad) `->` type($result)";
  let hasVerifier = 1;
}

def NN_EmbeddingGradOp : NN_Op<"embedding_grad", [Pure]> {
  let summary = "gradient of nn.embedding with respect to its weight";
  let description = [{
    Row r of the result is the sum of the rows of `grad` ([indices..., D])
    whose index is r; the row `padding_idx` stays zero, and so does every
    row no index picks. The result is the weight's type [num_embeddings, D].
    Compiled code skips indices outside [0, num_embeddings); the
    interpreter reports them as an error.

    ```mlir
    %dw = nn.embedding_grad %ids, %dy {padding_idx = 0 : i64}
        : tensor<2x5xi64>, tensor<2x5x8xf32> -> tensor<10x8xf32>
    ```
  }];
  let arguments = (ins NN_IndexTensor:$indices, NN_Tensor:$grad, OptionalAttr<I64Attr>:$padding_idx);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $indices `,` $grad attr-dict `:` type($indices) `,` type($grad) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // NN_GRAD_OPS_TD
