// The activation, softmax and normalization verifiers reject bad IR with messages that name the dims and shapes.
// RUN: nncc-opt %s -split-input-file -verify-diagnostics

func.func @gelu_approximate(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nn.gelu' op approximate must be 'none' or 'tanh', got 'exact'}}
  %y = nn.gelu %x {approximate = "exact"} : tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @sigmoid_type(%x: tensor<2x4xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'nn.sigmoid' op requires the same type for all operands and results}}
  %y = "nn.sigmoid"(%x) : (tensor<2x4xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

func.func @softmax_dim(%x: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  // expected-error @+1 {{'nn.softmax' op Dimension out of range (expected to be in range of [-3, 2], but got 3)}}
  %y = nn.softmax %x, dim = 3 : tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// -----

func.func @log_softmax_dim(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nn.log_softmax' op Dimension out of range (expected to be in range of [-2, 1], but got -3)}}
  %y = nn.log_softmax %x, dim = -3 : tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @layer_norm_ndim(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nn.layer_norm' op normalized_ndim 3 must be in [1, 2]}}
  %y = nn.layer_norm %x {eps = 1.0e-5 : f64, normalized_ndim = 3 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @layer_norm_affine_shape(%x: tensor<2x3x4xf32>, %w: tensor<4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'nn.layer_norm' op weight and bias must be [3, 4], got [4]}}
  %y = nn.layer_norm %x affine(%w, %w) {eps = 1.0e-5 : f64, normalized_ndim = 2 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

func.func @layer_norm_weight_alone(%x: tensor<2x4xf32>, %w: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nn.layer_norm' op weight and bias come together}}
  %y = "nn.layer_norm"(%x, %w) <{eps = 1.0e-5 : f64, normalized_ndim = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0>}> : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

func.func @layer_norm_result(%x: tensor<2x4xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'nn.layer_norm' op result type must equal the input type}}
  %y = nn.layer_norm %x {eps = 1.0e-5 : f64, normalized_ndim = 1 : i64} : (tensor<2x4xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

func.func @group_norm_rank(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'nn.group_norm' op input must be [N, C, ...], got [8]}}
  %y = nn.group_norm %x {eps = 1.0e-5 : f64, num_groups = 2 : i64} : (tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

func.func @group_norm_divisible(%x: tensor<2x6x3xf32>) -> tensor<2x6x3xf32> {
  // expected-error @+1 {{'nn.group_norm' op num_channels must be divisible by num_groups (6 channels, 4 groups)}}
  %y = nn.group_norm %x {eps = 1.0e-5 : f64, num_groups = 4 : i64} : (tensor<2x6x3xf32>) -> tensor<2x6x3xf32>
  return %y : tensor<2x6x3xf32>
}

// -----

func.func @group_norm_affine_shape(%x: tensor<2x6x3xf32>, %w: tensor<3xf32>) -> tensor<2x6x3xf32> {
  // expected-error @+1 {{'nn.group_norm' op weight and bias must be [6], got [3]}}
  %y = nn.group_norm %x affine(%w, %w) {eps = 1.0e-5 : f64, num_groups = 3 : i64} : (tensor<2x6x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x6x3xf32>
  return %y : tensor<2x6x3xf32>
}
