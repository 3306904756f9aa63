// Each verifier rejects bad IR with a message that names the shapes.
// RUN: nncc-opt %s -split-input-file -verify-diagnostics

func.func @linear_features(%x: tensor<2x3xf32>, %w: tensor<8x4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nn.linear' op input [2, 3] has 3 features but weight [8, 4] expects 4}}
  %y = nn.linear %x, %w : tensor<2x3xf32>, tensor<8x4xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @linear_bias(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>, %b: tensor<7xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{bias [7] must be [8] to match weight [8, 4]}}
  %y = nn.linear %x, %w, %b : tensor<2x4xf32>, tensor<8x4xf32>, tensor<7xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @linear_weight_rank(%x: tensor<2x4xf32>, %w: tensor<4xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{weight [4] must be 2-D [out_features, in_features]}}
  %y = nn.linear %x, %w : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

func.func @linear_result(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>) -> tensor<2x9xf32> {
  // expected-error @+1 {{result shape [2, 9] does not match the expected [2, 8]}}
  %y = nn.linear %x, %w : tensor<2x4xf32>, tensor<8x4xf32> -> tensor<2x9xf32>
  return %y : tensor<2x9xf32>
}

// -----

func.func @add_broadcast(%a: tensor<2x4xf32>, %b: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{shapes [2, 4] and [3] do not broadcast (dimension 1: 4 vs 3)}}
  %y = nn.add %a, %b : tensor<2x4xf32>, tensor<3xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @matmul_inner(%a: tensor<2x4xf32>, %b: tensor<3x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{matmul operands [2, 4] and [3, 5] cannot be multiplied (4 vs 3)}}
  %y = nn.matmul %a, %b : tensor<2x4xf32>, tensor<3x5xf32> -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

func.func @matmul_rank(%a: tensor<2x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<3x2x5xf32> {
  // expected-error @+1 {{matmul takes two 2-D or two 3-D operands, got [2, 4] and [3, 4, 5]}}
  %y = nn.matmul %a, %b : tensor<2x4xf32>, tensor<3x4x5xf32> -> tensor<3x2x5xf32>
  return %y : tensor<3x2x5xf32>
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<2x3x5xf32> {
  // expected-error @+1 {{matmul batch sizes differ: [2, 3, 4] and [3, 4, 5]}}
  %y = nn.matmul %a, %b : tensor<2x3x4xf32>, tensor<3x4x5xf32> -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}

// -----

func.func @flatten_range(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{flatten dimensions (0, 4) out of range for input [2, 3]}}
  %y = nn.flatten %x, start_dim = 0, end_dim = 4 : tensor<2x3xf32> -> tensor<6xf32>
  return %y : tensor<6xf32>
}

// -----

func.func @flatten_order(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  // expected-error @+1 {{flatten() has invalid args: start_dim cannot come after end_dim}}
  %y = nn.flatten %x, start_dim = 2, end_dim = 1 : tensor<2x3x4xf32> -> tensor<2x12xf32>
  return %y : tensor<2x12xf32>
}

// -----

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{requires statically shaped tensors, got 'tensor<?x4xf32>'}}
  %y = nn.add %x, %x : tensor<?x4xf32>, tensor<?x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @get_unknown() -> tensor<4xf32> {
  // expected-error @+1 {{'nn.get' op 'missing' is not a parameter or buffer of the model}}
  %w = nn.get @missing : tensor<4xf32>
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

nn.parameter @w : tensor<4xf32>
func.func @assign_parameter(%v: tensor<4xf32>) {
  // expected-error @+1 {{'w' is not a buffer of the model; only buffers are assigned}}
  nn.assign @w, %v : tensor<4xf32>
  return
}

// -----

func.func @parameter_in_function() {
  // expected-error @+1 {{'nn.parameter' op expects parent op 'builtin.module'}}
  nn.parameter @w : tensor<4xf32>
  return
}

// -----

func.func @dropout_p(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{dropout probability has to be between 0 and 1, but got 1.5}}
  %y = nn.dropout %x {p = 1.5 : f64, seed = 1 : i64} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @batch_norm_channels(%x: tensor<4x8xf32>, %w: tensor<7xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{per-channel operands must be 'tensor<8xf32>', got 'tensor<7xf32>'}}
  %y = nn.batch_norm %x affine(%w, %w) {eps = 1.0e-5 : f64} : (tensor<4x8xf32>, tensor<7xf32>, tensor<7xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{shape '[7]' is invalid for input of size 6}}
  %y = nn.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return %y : tensor<7xf32>
}

// -----

func.func @permute_dup(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{permute(): duplicate dims are not allowed.}}
  %y = nn.permute %x, dims = [0, 0] : tensor<2x3xf32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @narrow_range(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{start (2) + length (2) exceeds dimension size (3).}}
  %y = nn.narrow %x, dim = 1, start = 2, length = 2 : tensor<2x3xf32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @concat_sizes(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.}}
  %y = nn.concat %a, %b along dim = 1 : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<2x6xf32>
  return %y : tensor<2x6xf32>
}
