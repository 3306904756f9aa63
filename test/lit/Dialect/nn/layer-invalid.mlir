// The layer ops' verifiers reject bad IR with PyTorch's messages.
// RUN: nncc-opt %s -split-input-file -verify-diagnostics

func.func @conv_channels(%x: tensor<1x5x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 5, 8, 8] to have 3 channels, but got 5 channels instead}}
  %y = nn.conv2d %x, %w {dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : tensor<1x5x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @pool_pad(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x7x7xf32> {
  // expected-error @+1 {{pad should be at most half of kernel size, but got pad=2 and kernel_size=3}}
  %y = nn.max_pool2d %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel = array<i64: 3, 3>, padding = array<i64: 2, 2>, stride = array<i64: 1, 1>} : tensor<1x1x5x5xf32> -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// -----

func.func @reflect_too_wide(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x8x8xf32> {
  // expected-error @+1 {{Padding size should be less than the corresponding input dimension}}
  %y = nn.pad %x {mode = "reflect", pads = array<i64: 3, 3, 3, 3>, value = 0.0 : f64} : tensor<1x1x2x2xf32> -> tensor<1x1x8x8xf32>
  return %y : tensor<1x1x8x8xf32>
}

// -----

func.func @group_norm_groups(%x: tensor<2x6x3xf32>) -> tensor<2x6x3xf32> {
  // expected-error @+1 {{num_channels must be divisible by num_groups (6 channels, 4 groups)}}
  %y = nn.group_norm %x {eps = 1.0e-5 : f64, num_groups = 4 : i64} : (tensor<2x6x3xf32>) -> tensor<2x6x3xf32>
  return %y : tensor<2x6x3xf32>
}

// -----

func.func @softmax_dim(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{Dimension out of range (expected to be in range of [-2, 1], but got 2)}}
  %y = nn.softmax %x, dim = 2 : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @gelu_mode(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{approximate must be 'none' or 'tanh', got 'exact'}}
  %y = nn.gelu %x {approximate = "exact"} : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
