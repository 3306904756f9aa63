// The convolution, padding and pooling verifiers reject bad IR with PyTorch's messages, naming the shapes.
// RUN: nncc-opt %s -split-input-file -verify-diagnostics

func.func @conv_channels(%x: tensor<1x5x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'nn.conv2d' op Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 5, 8, 8] to have 3 channels, but got 5 channels instead}}
  %y = nn.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x5x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_groups_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{Given groups=2, weight of size [4, 4, 3, 3], expected input[1, 4, 8, 8] to have 8 channels, but got 4 channels instead}}
  %y = nn.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 2 : i64}
      : tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32> -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_out_channels_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x6x6xf32> {
  // expected-error @+1 {{out_channels 3 must be divisible by groups 2}}
  %y = nn.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 2 : i64}
      : tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32> -> tensor<1x3x6x6xf32>
  return %y : tensor<1x3x6x6xf32>
}

// -----

func.func @conv_kernel_too_large(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x1x1xf32> {
  // expected-error @+1 {{Calculated padded input size per channel: (4 x 4). Kernel size: (5 x 5). Kernel size can't be greater than actual input size}}
  %y = nn.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 2, 2>, groups = 1 : i64}
      : tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32> -> tensor<1x2x1x1xf32>
  return %y : tensor<1x2x1x1xf32>
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{bias [3] must be [4]}}
  %y = nn.conv2d %x, %w, %b {stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32> -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{expected a 4-D input [N, C, H, W] and a 4-D weight, got input [3, 8, 8] and weight [4, 3, 3, 3]}}
  %y = nn.conv2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_stride_pair(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{stride, padding, dilation and kernel take two values (height, width)}}
  %y = nn.conv2d %x, %w {stride = array<i64: 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_stride_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{stride and dilation must be positive, padding non-negative, groups at least 1}}
  %y = nn.conv2d %x, %w {stride = array<i64: 0, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{result shape [1, 4, 8, 8] does not match the expected [1, 4, 3, 3]}}
  %y = nn.conv2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x8x8xf32>
  return %y : tensor<1x4x8x8xf32>
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x3x4x4xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x6x6xf32> {
  // expected-error @+1 {{expected input [N, C, H, W] and weight [C, out/groups, kH, kW] with C divisible by groups, got input [1, 3, 4, 4], weight [4, 2, 3, 3], groups 1}}
  %y = nn.conv_transpose2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, output_padding = array<i64: 0, 0>,
                                   dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x3x4x4xf32>, tensor<4x2x3x3xf32> -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x4x4x4xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x11x11xf32> {
  // expected-error @+1 {{output padding must be smaller than either stride or dilation, but got output_padding_height: 2 output_padding_width: 2 stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1}}
  %y = nn.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 0, 0>, output_padding = array<i64: 2, 2>,
                                   dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x4x4x4xf32>, tensor<4x2x3x3xf32> -> tensor<1x2x11x11xf32>
  return %y : tensor<1x2x11x11xf32>
}

// -----

func.func @conv_transpose_too_small(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x1x1xf32> {
  // expected-error @+1 {{Given input size per channel: (3 x 3). Calculated output size per channel: (-3 x -3). Output size is too small}}
  %y = nn.conv_transpose2d %x, %w {stride = array<i64: 1, 1>, padding = array<i64: 4, 4>, output_padding = array<i64: 0, 0>,
                                   dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32> -> tensor<1x2x1x1xf32>
  return %y : tensor<1x2x1x1xf32>
}

// -----

func.func @conv_transpose_bias(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x2x5x5xf32> {
  // expected-error @+1 {{bias [4] must be [2]}}
  %y = nn.conv_transpose2d %x, %w, %b {stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, output_padding = array<i64: 0, 0>,
                                       dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>, tensor<4xf32> -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}

// -----

func.func @pad_reflect(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x5x10xf32> {
  // expected-error @+1 {{'nn.pad' op Padding size should be less than the corresponding input dimension, but got: padding (5, 0) at dimension 3 of input [1, 1, 5, 5]}}
  %y = nn.pad %x {mode = "reflect", pads = array<i64: 5, 0, 0, 0>, value = 0.0 : f64} : tensor<1x1x5x5xf32> -> tensor<1x1x5x10xf32>
  return %y : tensor<1x1x5x10xf32>
}

// -----

func.func @pad_circular(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x11x5xf32> {
  // expected-error @+1 {{Padding value causes wrapping around more than once: padding (0, 6) at dimension 2 of input [1, 1, 5, 5]}}
  %y = nn.pad %x {mode = "circular", pads = array<i64: 0, 0, 0, 6>, value = 0.0 : f64} : tensor<1x1x5x5xf32> -> tensor<1x1x11x5xf32>
  return %y : tensor<1x1x11x5xf32>
}

// -----

func.func @pad_mode(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x7x7xf32> {
  // expected-error @+1 {{Unrecognised padding mode wrap}}
  %y = nn.pad %x {mode = "wrap", pads = array<i64: 1, 1, 1, 1>, value = 0.0 : f64} : tensor<1x1x5x5xf32> -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// -----

func.func @pad_count(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x5x7xf32> {
  // expected-error @+1 {{pads takes [left, right, top, bottom]}}
  %y = nn.pad %x {mode = "constant", pads = array<i64: 1, 1>, value = 0.0 : f64} : tensor<1x1x5x5xf32> -> tensor<1x1x5x7xf32>
  return %y : tensor<1x1x5x7xf32>
}

// -----

func.func @pad_result(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x7x7xf32> {
  // expected-error @+1 {{result shape [1, 1, 7, 7] does not match the expected [1, 1, 6, 8]}}
  %y = nn.pad %x {mode = "replicate", pads = array<i64: 1, 2, 0, 1>, value = 0.0 : f64} : tensor<1x1x5x5xf32> -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// -----

func.func @max_pool_padding(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x7x7xf32> {
  // expected-error @+1 {{'nn.max_pool2d' op pad should be at most half of kernel size, but got pad=2 and kernel_size=3}}
  %y = nn.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 2, 2>,
                         dilation = array<i64: 1, 1>, ceil_mode = false} : tensor<1x1x5x5xf32> -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}

// -----

func.func @max_pool_too_small(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x1x1xf32> {
  // expected-error @+1 {{Given input size: (1x5x5). Calculated output size: (1x0x0). Output size is too small}}
  %y = nn.max_pool2d %x {kernel = array<i64: 7, 7>, stride = array<i64: 7, 7>, padding = array<i64: 0, 0>,
                         dilation = array<i64: 1, 1>, ceil_mode = false} : tensor<1x1x5x5xf32> -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}

// -----

func.func @max_pool_rank(%x: tensor<1x5x5xf32>) -> tensor<1x2x2xf32> {
  // expected-error @+1 {{expected a 4-D input [N, C, H, W], got [1, 5, 5]}}
  %y = nn.max_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                         dilation = array<i64: 1, 1>, ceil_mode = false} : tensor<1x5x5xf32> -> tensor<1x2x2xf32>
  return %y : tensor<1x2x2xf32>
}

// -----

func.func @max_pool_ceil_result(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x3x3xf32> {
  // expected-error @+1 {{result shape [1, 2, 3, 3] does not match the expected [1, 2, 4, 4]}}
  %y = nn.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                         dilation = array<i64: 1, 1>, ceil_mode = true} : tensor<1x2x8x8xf32> -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

func.func @avg_pool_divisor(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'nn.avg_pool2d' op divisor must be not zero}}
  %y = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                         ceil_mode = false, count_include_pad = true, divisor_override = 0 : i64} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

func.func @avg_pool_kernel_pair(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{stride, padding, dilation and kernel take two values (height, width)}}
  %y = nn.avg_pool2d %x {kernel = array<i64: 2, 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                         ceil_mode = false, count_include_pad = true} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

func.func @adaptive_channels(%x: tensor<1x3x7x5xf32>) -> tensor<1x2x3x2xf32> {
  // expected-error @+1 {{'nn.adaptive_avg_pool2d' op maps [N, C, H, W] to [N, C, outH, outW], got [1, 3, 7, 5] -> [1, 2, 3, 2]}}
  %y = nn.adaptive_avg_pool2d %x : tensor<1x3x7x5xf32> -> tensor<1x2x3x2xf32>
  return %y : tensor<1x2x3x2xf32>
}
