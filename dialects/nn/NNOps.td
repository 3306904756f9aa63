// Ops of the nn dialect: state symbols, and the torch.nn.functional calls of the foundation slice.
#ifndef NN_OPS_TD
#define NN_OPS_TD

include "NNBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Parameters and buffers
//===----------------------------------------------------------------------===//

def NN_ParameterOp : NN_Op<"parameter", [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "a parameter of the model, named by its state_dict key";
  let description = [{
    Declares a trainable tensor of the model. Its values live in the model
    file or weights, not in the IR. `frozen` marks requires_grad = False.

    ```mlir
    nn.parameter @"0.weight" : tensor<512x784xf32>
    nn.parameter frozen @"emb.weight" : tensor<100x16xf32>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttrOf<NN_Tensor>:$type,
                       UnitAttr:$frozen);
  let assemblyFormat = "(`frozen` $frozen^)? $sym_name `:` $type attr-dict";
}

def NN_BufferOp : NN_Op<"buffer", [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "a buffer of the model (e.g. running statistics), named by its state_dict key";
  let description = [{
    Declares a non-trainable tensor of the model. `non_persistent` buffers
    are left out of the state_dict, as register_buffer(persistent=False).

    ```mlir
    nn.buffer @"bn.running_mean" : tensor<64xf32>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttrOf<NN_Tensor>:$type,
                       UnitAttr:$non_persistent);
  let assemblyFormat = "(`non_persistent` $non_persistent^)? $sym_name `:` $type attr-dict";
}

def NN_GetOp : NN_Op<"get", [Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "reads a parameter or buffer";
  let description = [{
    ```mlir
    %w = nn.get @"0.weight" : tensor<512x784xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$name);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$name `:` type($result) attr-dict";
}

def NN_AssignOp : NN_Op<"assign", [DeclareOpInterfaceMethods<SymbolUserOpInterface>,
                                    MemoryEffects<[MemWrite]>]> {
  let summary = "writes a new value into a buffer, or into a parameter in a train step";
  let description = [{
    How a forward in train mode updates state, e.g. BatchNorm's running
    statistics. The buffer takes the last value assigned to it when the
    forward returns; `nn.get` always reads the value at entry (the recorder
    hands later reads in the same forward the assigned value itself).

    ```mlir
    nn.assign @"bn.running_mean", %new_mean : tensor<64xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$name, NN_Tensor:$value);
  let assemblyFormat = "$name `,` $value attr-dict `:` type($value)";
}

//===----------------------------------------------------------------------===//
// Compute
//===----------------------------------------------------------------------===//

def NN_LinearOp : NN_Op<"linear", [Pure]> {
  let summary = "y = x W^T + b, as torch.nn.functional.linear";
  let description = [{
    `input` is [..., in], `weight` [out, in], optional `bias` [out]; the
    result is [..., out].

    ```mlir
    %y = nn.linear %x, %w, %b : tensor<2x784xf32>, tensor<512x784xf32>, tensor<512xf32> -> tensor<2x512xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, NN_Tensor:$weight, Optional<NN_Tensor>:$bias);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,` type($weight)
    (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def NN_ReluOp : NN_Op<"relu", [Pure, SameOperandsAndResultType]> {
  let summary = "max(x, 0), as torch.nn.functional.relu";
  let description = [{
    ```mlir
    %y = nn.relu %x : tensor<2x512xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

class NN_BroadcastBinaryOp<string mnemonic, string what>
    : NN_Op<mnemonic, [Pure, Commutative]> {
  let summary = "elementwise " # what # " with numpy-style broadcasting";
  let description = [{
    Shapes are aligned from the right; a dimension of size 1 stretches.

    ```mlir
    %z = nn.}] # mnemonic # [{ %x, %y : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
}

def NN_AddOp : NN_BroadcastBinaryOp<"add", "addition">;
def NN_MulOp : NN_BroadcastBinaryOp<"mul", "multiplication">;

def NN_MatmulOp : NN_Op<"matmul", [Pure]> {
  let summary = "matrix product of 2-D operands, or batched product of 3-D operands";
  let description = [{
    ```mlir
    %c = nn.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$lhs, NN_Tensor:$rhs);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
}

def NN_FlattenOp : NN_Op<"flatten", [Pure]> {
  let summary = "merges dimensions start_dim..end_dim, as torch.flatten";
  let description = [{
    ```mlir
    %y = nn.flatten %x, start_dim = 1, end_dim = -1 : tensor<4x2x8xf32> -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins NN_Tensor:$input, I64Attr:$start_dim, I64Attr:$end_dim);
  let results = (outs NN_Tensor:$result);
  let assemblyFormat = [{
    $input `,` `start_dim` `=` $start_dim `,` `end_dim` `=` $end_dim attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

include "NNModeOps.td"
include "NNTensorOps.td"
include "NNActivationOps.td"
include "NNConvOps.td"
include "NNTrainOps.td"
include "NNGradOps.td"
include "NNHookOps.td"

#endif // NN_OPS_TD
