// Ops whose behaviour depends on the mode a model was recorded in: batch_norm and dropout.
#ifndef NN_MODE_OPS_TD
#define NN_MODE_OPS_TD

def NN_BatchNormOp : NN_Op<"batch_norm", [Pure, AttrSizedOperandSegments]> {
  let summary = "batch normalization over dim 1, as torch.nn.functional.batch_norm";
  let description = [{
    `input` is [N, C, ...]. With `training`, or without running statistics,
    it is normalized with the batch statistics (biased variance) over every
    dim but 1. With `training` and running statistics, the op also returns
    their updated values: the mean and the unbiased variance blended with
    `momentum`, and, when `num_batches_tracked` is given, its value + 1 (then
    a missing momentum means a cumulative average, 1 / (count + 1)).
    Otherwise it is normalized with `running_mean` and `running_var`. `weight` and `bias` ([C]) are the optional affine
    transform.

    ```mlir
    %y, %m, %v, %n = nn.batch_norm %x running(%rm, %rv) count(%nbt) affine(%w, %b)
        {eps = 1.0e-5 : f64, momentum = 0.1 : f64, training}
        : (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<f32>, tensor<16xf32>,
           tensor<16xf32>) -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<f32>)
    ```
  }];
  let arguments = (ins NN_Tensor:$input, Optional<NN_Tensor>:$running_mean,
                       Optional<NN_Tensor>:$running_var, Optional<NN_Tensor>:$num_batches_tracked,
                       Optional<NN_Tensor>:$weight, Optional<NN_Tensor>:$bias,
                       F64Attr:$eps, OptionalAttr<F64Attr>:$momentum, UnitAttr:$training);
  let results = (outs NN_Tensor:$result, Variadic<NN_Tensor>:$updated_stats);
  let assemblyFormat = [{
    $input (`running` `(` $running_mean^ `,` $running_var `)`)? (`count` `(` $num_batches_tracked^ `)`)?
    (`affine` `(` $weight^ `,` $bias `)`)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NN_DropoutOp : NN_Op<"dropout", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "train-mode dropout: zeroes elements with probability p, scales the rest by 1/(1-p)";
  let description = [{
    Only recorded in train mode (in eval mode dropout is the identity). The
    mask is a pure function of `seed` (drawn from nncc's generator when the
    model is recorded, so manual_seed fixes it) and each element's index:
    element i is dropped when the top 24 bits of splitmix64(seed + i *
    0x9E3779B97F4A7C15), as a fraction of 2^24, are below p. A train step
    passes its step counter as `step` (a scalar holding an integer), and
    the seed becomes seed + step * 0xD1B54A32D192ED03: each step draws a new
    mask, deterministically, and the backward of that step reuses it.

    ```mlir
    %y = nn.dropout %x {p = 5.0e-01 : f64, seed = 42 : i64} : tensor<4x16xf32>
    %z = nn.dropout %x step(%t : tensor<f32>) {p = 5.0e-01 : f64, seed = 42 : i64} : tensor<4x16xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, Optional<NN_Tensor>:$step, F64Attr:$p, I64Attr:$seed);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input (`step` `(` $step^ `:` type($step) `)`)? attr-dict `:` type($result)";
  let hasVerifier = 1;
}

#endif // NN_MODE_OPS_TD
