// nncc-convert-nn-to-linalg on the layer ops: grouped convolution as linalg.conv_2d_ngchw_gfchw over
// [N, G, C/G, H, W], max pooling over -inf padding, softmax as max-subtracted reductions, erf for exact GELU.
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @grouped_conv
func.func @grouped_conv(%x: tensor<1x4x6x6xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32> {
  // CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: tensor.expand_shape {{.*}} into tensor<1x2x2x8x8xf32>
  // CHECK: tensor.expand_shape {{.*}} into tensor<2x3x2x3x3xf32>
  // CHECK: linalg.conv_2d_ngchw_gfchw
  // CHECK: tensor.collapse_shape {{.*}} into tensor<1x6x6x6xf32>
  %y = nn.conv2d %x, %w {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>} : tensor<1x4x6x6xf32>, tensor<6x2x3x3xf32> -> tensor<1x6x6x6xf32>
  return %y : tensor<1x6x6x6xf32>
}

// -----

// CHECK-LABEL: func.func @max_pool
func.func @max_pool(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  // CHECK: arith.constant 0xFF800000 : f32
  // CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: linalg.pooling_nchw_max
  %y = nn.max_pool2d %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @softmax_gelu
func.func @softmax_gelu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: arith.maximumf
  // CHECK: math.exp
  // CHECK: arith.divf
  %s = nn.softmax %x, dim = 1 : tensor<2x3xf32>
  // CHECK: math.erf
  %g = nn.gelu %s {approximate = "none"} : tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}
