// Each verifier of the core, mode and tensor nn ops rejects bad IR with one error that names the shapes involved (layer ops: layer-invalid.mlir).
// RUN: nncc-opt %s -split-input-file -verify-diagnostics

func.func @linear_features(%x: tensor<2x3xf32>, %w: tensor<8x4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nn.linear' op input [2, 3] has 3 features but weight [8, 4] expects 4}}
  %y = nn.linear %x, %w : tensor<2x3xf32>, tensor<8x4xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @linear_bias(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>, %b: tensor<7xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nn.linear' op bias [7] must be [8] to match weight [8, 4]}}
  %y = nn.linear %x, %w, %b : tensor<2x4xf32>, tensor<8x4xf32>, tensor<7xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @linear_bias_rank(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>, %b: tensor<1x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nn.linear' op bias [1, 8] must be [8] to match weight [8, 4]}}
  %y = nn.linear %x, %w, %b : tensor<2x4xf32>, tensor<8x4xf32>, tensor<1x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @linear_weight_rank(%x: tensor<2x4xf32>, %w: tensor<4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nn.linear' op weight [4] must be 2-D [out_features, in_features]}}
  %y = nn.linear %x, %w : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @linear_scalar(%x: tensor<f32>, %w: tensor<3x4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'nn.linear' op input must have at least 1 dimension, got a scalar}}
  %y = nn.linear %x, %w : tensor<f32>, tensor<3x4xf32> -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

func.func @linear_result(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>) -> tensor<2x9xf32> {
  // expected-error @+1 {{'nn.linear' op result shape [2, 9] does not match the expected [2, 8]}}
  %y = nn.linear %x, %w : tensor<2x4xf32>, tensor<8x4xf32> -> tensor<2x9xf32>
  return %y : tensor<2x9xf32>
}

// -----

func.func @add_broadcast(%a: tensor<2x4xf32>, %b: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nn.add' op shapes [2, 4] and [3] do not broadcast (dimension 1: 4 vs 3)}}
  %y = nn.add %a, %b : tensor<2x4xf32>, tensor<3xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @mul_broadcast(%a: tensor<5x2x4xf32>, %b: tensor<3x1x4xf32>) -> tensor<5x2x4xf32> {
  // expected-error @+1 {{'nn.mul' op shapes [5, 2, 4] and [3, 1, 4] do not broadcast (dimension 0: 5 vs 3)}}
  %y = nn.mul %a, %b : tensor<5x2x4xf32>, tensor<3x1x4xf32> -> tensor<5x2x4xf32>
  return %y : tensor<5x2x4xf32>
}

// -----

func.func @add_result(%a: tensor<2x4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // The broadcast result keeps the larger rank.
  // expected-error @+1 {{'nn.add' op result shape [4] does not match the expected [2, 4]}}
  %y = nn.add %a, %b : tensor<2x4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @matmul_inner(%a: tensor<2x4xf32>, %b: tensor<3x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'nn.matmul' op matmul operands [2, 4] and [3, 5] cannot be multiplied (4 vs 3)}}
  %y = nn.matmul %a, %b : tensor<2x4xf32>, tensor<3x5xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @matmul_rank(%a: tensor<2x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<3x2x5xf32> {
  // expected-error @+1 {{'nn.matmul' op matmul takes two 2-D or two 3-D operands, got [2, 4] and [3, 4, 5]}}
  %y = nn.matmul %a, %b : tensor<2x4xf32>, tensor<3x4x5xf32> -> tensor<3x2x5xf32>
  return %y : tensor<3x2x5xf32>
}

// -----

func.func @matmul_rank4(%a: tensor<1x2x3x4xf32>, %b: tensor<1x2x4x5xf32>) -> tensor<1x2x3x5xf32> {
  // expected-error @+1 {{'nn.matmul' op matmul takes two 2-D or two 3-D operands, got [1, 2, 3, 4] and [1, 2, 4, 5]}}
  %y = nn.matmul %a, %b : tensor<1x2x3x4xf32>, tensor<1x2x4x5xf32> -> tensor<1x2x3x5xf32>
  return %y : tensor<1x2x3x5xf32>
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<2x3x5xf32> {
  // expected-error @+1 {{'nn.matmul' op matmul batch sizes differ: [2, 3, 4] and [3, 4, 5]}}
  %y = nn.matmul %a, %b : tensor<2x3x4xf32>, tensor<3x4x5xf32> -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}

// -----

func.func @matmul_result(%a: tensor<2x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'nn.matmul' op result shape [2, 6] does not match the expected [2, 5]}}
  %y = nn.matmul %a, %b : tensor<2x4xf32>, tensor<4x5xf32> -> tensor<2x6xf32>
  return %y : tensor<2x6xf32>
}

// -----

func.func @flatten_range(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{'nn.flatten' op flatten dimensions (0, 4) out of range for input [2, 3]}}
  %y = nn.flatten %x, start_dim = 0, end_dim = 4 : tensor<2x3xf32> -> tensor<6xf32>
  return %y : tensor<6xf32>
}

// -----

func.func @flatten_negative_range(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{'nn.flatten' op flatten dimensions (-3, 1) out of range for input [2, 3]}}
  %y = nn.flatten %x, start_dim = -3, end_dim = 1 : tensor<2x3xf32> -> tensor<6xf32>
  return %y : tensor<6xf32>
}

// -----

func.func @flatten_order(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  // expected-error @+1 {{'nn.flatten' op flatten() has invalid args: start_dim cannot come after end_dim}}
  %y = nn.flatten %x, start_dim = 2, end_dim = 1 : tensor<2x3x4xf32> -> tensor<2x12xf32>
  return %y : tensor<2x12xf32>
}

// -----

func.func @flatten_result(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  // expected-error @+1 {{'nn.flatten' op result shape [6, 4] does not match the expected [2, 12]}}
  %y = nn.flatten %x, start_dim = 1, end_dim = 2 : tensor<2x3x4xf32> -> tensor<6x4xf32>
  return %y : tensor<6x4xf32>
}

// -----

func.func @dynamic_add(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'nn.add' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<?x4xf32>'}}
  %y = nn.add %x, %x : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @dynamic_linear(%x: tensor<?x3xf32>, %w: tensor<4x3xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'nn.linear' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<?x3xf32>'}}
  %y = nn.linear %x, %w : tensor<?x3xf32>, tensor<4x3xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @dynamic_result(%a: tensor<2x4xf32>, %b: tensor<4x5xf32>) -> tensor<?x5xf32> {
  // expected-error @+1 {{'nn.matmul' op result #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<?x5xf32>'}}
  %y = nn.matmul %a, %b : tensor<2x4xf32>, tensor<4x5xf32> -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}

// -----

func.func @element_type(%x: tensor<2x4xi32>) -> tensor<2x4xi32> {
  // expected-error @+1 {{'nn.relu' op operand #0 must be statically shaped tensor of 32-bit float values, but got 'tensor<2x4xi32>'}}
  %y = nn.relu %x : tensor<2x4xi32>
  return %y : tensor<2x4xi32>
}

// -----

func.func @get_unknown() -> tensor<4xf32> {
  // expected-error @+1 {{'nn.get' op 'missing' is not a parameter or buffer of the model}}
  %w = nn.get @missing : tensor<4xf32>
  return %w : tensor<4xf32>
}

// -----

func.func @get_function() -> tensor<4xf32> {
  // A symbol that exists but is not state.
  // expected-error @+1 {{'nn.get' op 'get_function' is not a parameter or buffer of the model}}
  %w = nn.get @get_function : tensor<4xf32>
  return %w : tensor<4xf32>
}

// -----

nn.parameter @w : tensor<4xf32>
func.func @get_type() -> tensor<5xf32> {
  // expected-error @+1 {{'nn.get' op type 'tensor<5xf32>' does not match the declaration of 'w' as 'tensor<4xf32>'}}
  %w = nn.get @w : tensor<5xf32>
  return %w : tensor<5xf32>
}

// -----

nn.parameter frozen @w : tensor<4xf32>
func.func @assign_frozen_parameter(%v: tensor<4xf32>) {
  // expected-error @+1 {{'nn.assign' op 'w' is not a buffer or trainable parameter of the model; only those are assigned}}
  nn.assign @w, %v : tensor<4xf32>
  return
}

// -----

nn.buffer @m : tensor<4xf32>
func.func @assign_type(%v: tensor<5xf32>) {
  // expected-error @+1 {{'nn.assign' op value type 'tensor<5xf32>' does not match the declaration of 'm' as 'tensor<4xf32>'}}
  nn.assign @m, %v : tensor<5xf32>
  return
}

// -----

func.func @parameter_in_function() {
  // expected-error @+1 {{'nn.parameter' op expects parent op 'builtin.module'}}
  nn.parameter @w : tensor<4xf32>
  return
}

// -----

func.func @buffer_in_function() {
  // expected-error @+1 {{'nn.buffer' op expects parent op 'builtin.module'}}
  nn.buffer @m : tensor<4xf32>
  return
}

// -----

// expected-note @+1 {{see existing symbol definition here}}
nn.parameter @w : tensor<4xf32>
// expected-error @+1 {{redefinition of symbol named 'w'}}
nn.buffer @w : tensor<4xf32>

// -----

func.func @dropout_p(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nn.dropout' op dropout probability has to be between 0 and 1, but got 1.5}}
  %y = nn.dropout %x {p = 1.5 : f64, seed = 1 : i64} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @batch_norm_channels(%x: tensor<4x8xf32>, %w: tensor<7xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'nn.batch_norm' op per-channel operands must be 'tensor<8xf32>', got 'tensor<7xf32>'}}
  %y = nn.batch_norm %x affine(%w, %w) {eps = 1.0e-5 : f64} : (tensor<4x8xf32>, tensor<7xf32>, tensor<7xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'nn.reshape' op shape '[7]' is invalid for input of size 6}}
  %y = nn.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return %y : tensor<7xf32>
}

// -----

func.func @permute_dup(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'nn.permute' op permute(): duplicate dims are not allowed.}}
  %y = nn.permute %x, dims = [0, 0] : tensor<2x3xf32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @narrow_range(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'nn.narrow' op start (2) + length (2) exceeds dimension size (3).}}
  %y = nn.narrow %x, dim = 1, start = 2, length = 2 : tensor<2x3xf32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @concat_sizes(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'nn.concat' op Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.}}
  %y = nn.concat %a, %b along dim = 1 : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<2x6xf32>
  return %y : tensor<2x6xf32>
}

// -----

func.func @flatten_scalar_range(%x: tensor<f32>) -> tensor<1xf32> {
  // expected-error @+1 {{flatten dimensions (0, 5) out of range for input []}}
  %y = nn.flatten %x, start_dim = 0, end_dim = 5 : tensor<f32> -> tensor<1xf32>
  return %y : tensor<1xf32>
}
