// Tensor manipulation ops: constants, the remaining arithmetic, reshapes, permutes, slices, concat.
#ifndef NN_TENSOR_OPS_TD
#define NN_TENSOR_OPS_TD

def NN_ConstantOp : NN_Op<"constant", [Pure, ConstantLike]> {
  let summary = "a constant tensor (scalars in forward code, e.g. x * 0.5)";
  let description = [{
    ```mlir
    %c = nn.constant dense<5.000000e-01> : tensor<f32> -> tensor<f32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$value attr-dict `->` type($result)";
  let hasVerifier = 1;
}

def NN_SubOp : NN_Op<"sub", [Pure]> {
  let summary = "elementwise subtraction with numpy-style broadcasting";
  let description = [{
    ```mlir
    %z = nn.sub %x, %y : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
}

def NN_DivOp : NN_Op<"div", [Pure]> {
  let summary = "elementwise division with numpy-style broadcasting";
  let description = [{
    ```mlir
    %z = nn.div %x, %y : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
}

def NN_ReshapeOp : NN_Op<"reshape", [Pure]> {
  let summary = "the same elements in row-major order under a new shape, as Tensor.reshape";
  let description = [{
    ```mlir
    %y = nn.reshape %x : tensor<2x12xf32> -> tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NN_PermuteOp : NN_Op<"permute", [Pure]> {
  let summary = "reorders dimensions, as Tensor.permute (result dim i is input dim dims[i])";
  let description = [{
    ```mlir
    %y = nn.permute %x, dims = [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, DenseI64ArrayAttr:$dims);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input `,` `dims` `=` $dims attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NN_NarrowOp : NN_Op<"narrow", [Pure]> {
  let summary = "`length` elements of dimension `dim` from `start`, as Tensor.narrow";
  let description = [{
    ```mlir
    %y = nn.narrow %x, dim = 1, start = 4, length = 4 : tensor<2x12xf32> -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, I64Attr:$dim, I64Attr:$start, I64Attr:$length);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` `dim` `=` $dim `,` `start` `=` $start `,` `length` `=` $length attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_ConcatOp : NN_Op<"concat", [Pure]> {
  let summary = "joins tensors along `dim`, as torch.cat";
  let description = [{
    ```mlir
    %y = nn.concat %a, %b along dim = 1 : tensor<2x3xf32>, tensor<2x5xf32> -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<NN_Tensor>:$inputs, I64Attr:$dim);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$inputs `along` `dim` `=` $dim attr-dict `:` type($inputs) `->` type($result)";
  let hasVerifier = 1;
}

def NN_EmbeddingOp : NN_Op<"embedding", [Pure]> {
  let summary = "rows of `weight` picked by integer `indices`, as torch.nn.functional.embedding";
  let description = [{
    The result is `indices`' shape followed by the embedding dim.
    `padding_idx` (non-negative, already normalized) matters to the gradient
    only: that row gets none. Compiled code reads zeros for an index outside
    [0, num_embeddings); the interpreter reports it as an error.

    ```mlir
    %e = nn.embedding %ids, %w {padding_idx = 0 : i64} : tensor<2x5xi64>, tensor<10x8xf32> -> tensor<2x5x8xf32>
    ```
  }];
  let arguments = (ins NN_IndexTensor:$indices, NN_Tensor:$weight, OptionalAttr<I64Attr>:$padding_idx);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $indices `,` $weight attr-dict `:` type($indices) `,` type($weight) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // NN_TENSOR_OPS_TD
