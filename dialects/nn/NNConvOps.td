// Convolution, padding and pooling over [N, C, H, W].
#ifndef NN_CONV_OPS_TD
#define NN_CONV_OPS_TD

def NN_Conv2dOp : NN_Op<"conv2d", [Pure]> {
  let summary = "2-D convolution with zero padding, stride, dilation and groups";
  let description = [{
    `input` [N, C, H, W], `weight` [O, C/groups, kH, kW], optional `bias` [O].
    `padding` is [top, left] and is applied symmetrically; other paddings
    are an nn.pad before the op.

    ```mlir
    %y = nn.conv2d %x, %w, %b {stride = array<i64: 1, 1>, padding = array<i64: 1, 1>,
                               dilation = array<i64: 1, 1>, groups = 1 : i64}
        : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32> -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight, Optional<NN_Tensor>:$bias,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,` type($weight)
    (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_ConvTranspose2dOp : NN_Op<"conv_transpose2d", [Pure]> {
  let summary = "2-D transposed convolution, as torch.nn.functional.conv_transpose2d";
  let description = [{
    `weight` is [C, O/groups, kH, kW].

    ```mlir
    %y = nn.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                                     output_padding = array<i64: 1, 1>, dilation = array<i64: 1, 1>,
                                     groups = 1 : i64}
        : tensor<1x4x4x4xf32>, tensor<4x2x3x3xf32> -> tensor<1x2x8x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight, Optional<NN_Tensor>:$bias,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$output_padding, DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,` type($weight)
    (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_PadOp : NN_Op<"pad", [Pure]> {
  let summary = "pads the last two dims, as torch.nn.functional.pad";
  let description = [{
    `pads` is [left, right, top, bottom] as PyTorch orders it; `mode` is
    constant (with `value`), reflect, replicate or circular.

    ```mlir
    %y = nn.pad %x {mode = "reflect", pads = array<i64: 1, 1, 1, 1>, value = 0.0 : f64}
        : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, DenseI64ArrayAttr:$pads, StrAttr:$mode, F64Attr:$value);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

class NN_Pool2dOp<string mnemonic, string what> : NN_Op<mnemonic, [Pure]> {
  let summary = what;
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NN_MaxPool2dOp : NN_Pool2dOp<"max_pool2d", "windowed maximum, as torch.nn.functional.max_pool2d"> {
  let description = [{
    Over [N, C, H, W]; `kernel`, `stride`, `padding` and `dilation` are
    (height, width). Padded positions never win; in `ceil_mode` the last
    window may run past the input, but must start inside it or its left
    padding.

    ```mlir
    %y = nn.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                           dilation = array<i64: 1, 1>, ceil_mode = false}
        : tensor<1x8x16x16xf32> -> tensor<1x8x8x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$padding, DenseI64ArrayAttr:$dilation, BoolAttr:$ceil_mode);
}

def NN_AvgPool2dOp : NN_Pool2dOp<"avg_pool2d", "windowed mean, as torch.nn.functional.avg_pool2d"> {
  let description = [{
    Over [N, C, H, W] with zero padding. Each window's sum is divided by
    `divisor_override` when given, else by the window's size clipped to the
    padded input (`count_include_pad`) or to the input itself.

    ```mlir
    %y = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                           ceil_mode = true, count_include_pad = false}
        : tensor<1x8x6x6xf32> -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$padding, BoolAttr:$ceil_mode, BoolAttr:$count_include_pad,
                       OptionalAttr<I64Attr>:$divisor_override);
}

def NN_AdaptiveAvgPool2dOp : NN_Pool2dOp<"adaptive_avg_pool2d",
                                         "mean over adaptive windows, as torch.nn.functional.adaptive_avg_pool2d"> {
  let description = [{
    The output size is the result type's; output row i averages input rows
    floor(i * H / outH) to ceil((i + 1) * H / outH), and likewise for columns,
    so windows may differ in size and overlap.

    ```mlir
    %y = nn.adaptive_avg_pool2d %x : tensor<1x8x7x5xf32> -> tensor<1x8x3x2xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
}

#endif // NN_CONV_OPS_TD
