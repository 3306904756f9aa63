// Activations, softmax and the normalizations without running statistics (layer_norm, group_norm).
#ifndef NN_ACTIVATION_OPS_TD
#define NN_ACTIVATION_OPS_TD

class NN_UnaryOp<string mnemonic, string what, list<Trait> traits = []>
    : NN_Op<mnemonic, !listconcat([Pure, SameOperandsAndResultType], traits)> {
  let summary = what;
  let description = "```mlir\n%y = nn." # mnemonic # " %x : tensor<4x8xf32>\n```";
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def NN_SigmoidOp : NN_UnaryOp<"sigmoid", "1 / (1 + exp(-x)), as torch.sigmoid">;
def NN_TanhOp : NN_UnaryOp<"tanh", "tanh(x), as torch.tanh">;
def NN_SiluOp : NN_UnaryOp<"silu", "x * sigmoid(x), as torch.nn.functional.silu">;
def NN_HardswishOp : NN_UnaryOp<"hardswish", "x * relu6(x + 3) / 6, as torch.nn.functional.hardswish">;

def NN_LeakyReluOp : NN_Op<"leaky_relu", [Pure, SameOperandsAndResultType]> {
  let summary = "x for x > 0, else negative_slope * x";
  let description = [{
    ```mlir
    %y = nn.leaky_relu %x {negative_slope = 1.000000e-02 : f64} : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, F64Attr:$negative_slope);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def NN_GeluOp : NN_Op<"gelu", [Pure, SameOperandsAndResultType]> {
  let summary = "x * Phi(x), exactly (erf) or with the tanh approximation";
  let description = [{
    ```mlir
    %y = nn.gelu %x {approximate = "tanh"} : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, StrAttr:$approximate);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

class NN_SoftmaxLikeOp<string mnemonic, string what> : NN_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = what;
  let description = "Computed stably: the maximum along `dim` is subtracted first. `dim` may " #
                    "be negative (counted from the end).\n\n```mlir\n%y = nn." # mnemonic #
                    " %x, dim = -1 : tensor<4x8xf32>\n```";
  let arguments = (ins NN_Tensor:$input, I64Attr:$dim);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input `,` `dim` `=` $dim attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def NN_SoftmaxOp : NN_SoftmaxLikeOp<"softmax", "exp(x) / sum(exp(x)) along dim, as torch.softmax">;
def NN_LogSoftmaxOp : NN_SoftmaxLikeOp<"log_softmax", "x - log(sum(exp(x))) along dim, as torch.log_softmax">;

def NN_LayerNormOp : NN_Op<"layer_norm", [Pure, AttrSizedOperandSegments]> {
  let summary = "normalizes over the last `normalized_ndim` dims, as torch.nn.functional.layer_norm";
  let description = [{
    Mean and biased variance over the trailing dims; `weight` and `bias`
    have the normalized shape.

    ```mlir
    %y = nn.layer_norm %x affine(%w, %b) {eps = 1.0e-5 : f64, normalized_ndim = 1 : i64}
        : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, Optional<NN_Tensor>:$weight, Optional<NN_Tensor>:$bias,
                       I64Attr:$normalized_ndim, F64Attr:$eps);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input (`affine` `(` $weight^ `,` $bias `)`)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NN_GroupNormOp : NN_Op<"group_norm", [Pure, AttrSizedOperandSegments]> {
  let summary = "normalizes [N, C, ...] over each group of channels, as torch.nn.functional.group_norm";
  let description = [{
    ```mlir
    %y = nn.group_norm %x affine(%w, %b) {eps = 1.0e-5 : f64, num_groups = 2 : i64}
        : (tensor<2x4x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x3xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, Optional<NN_Tensor>:$weight, Optional<NN_Tensor>:$bias,
                       I64Attr:$num_groups, F64Attr:$eps);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input (`affine` `(` $weight^ `,` $bias `)`)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // NN_ACTIVATION_OPS_TD
