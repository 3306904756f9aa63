// The convolution, padding and pooling ops parse, print in their custom form, and parse again to the same text, also from the generic form.
// RUN: nncc-opt %s | nncc-opt | FileCheck %s
// RUN: nncc-opt %s -mlir-print-op-generic | nncc-opt | FileCheck %s

// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %[[X:.*]]: tensor<2x4x8x8xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>, %[[B:.*]]: tensor<6xf32>, %[[T:.*]]: tensor<6x2x3x3xf32>)
func.func @conv(%x: tensor<2x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>, %t: tensor<6x2x3x3xf32>)
    -> (tensor<2x6x4x4xf32>, tensor<2x6x4x4xf32>, tensor<2x4x7x7xf32>) {
  // CHECK: %[[Y:.*]] = nn.conv2d %[[X]], %[[W]], %[[B]] {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<2x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32> -> tensor<2x6x4x4xf32>
  %y = nn.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 2 : i64}
      : tensor<2x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32> -> tensor<2x6x4x4xf32>
  // CHECK: %[[NB:.*]] = nn.conv2d %[[X]], %[[W]] {dilation = array<i64: 2, 1>, groups = 2 : i64, padding = array<i64: 2, 1>, stride = array<i64: 2, 2>} : tensor<2x4x8x8xf32>, tensor<6x2x3x3xf32> -> tensor<2x6x4x4xf32>
  %nb = nn.conv2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 2, 1>, dilation = array<i64: 2, 1>, groups = 2 : i64}
      : tensor<2x4x8x8xf32>, tensor<6x2x3x3xf32> -> tensor<2x6x4x4xf32>
  // CHECK: %[[TR:.*]] = nn.conv_transpose2d %[[Y]], %[[T]] {dilation = array<i64: 1, 1>, groups = 2 : i64, output_padding = array<i64: 0, 0>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<2x6x4x4xf32>, tensor<6x2x3x3xf32> -> tensor<2x4x7x7xf32>
  %tr = nn.conv_transpose2d %y, %t {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, output_padding = array<i64: 0, 0>,
                                    dilation = array<i64: 1, 1>, groups = 2 : i64}
      : tensor<2x6x4x4xf32>, tensor<6x2x3x3xf32> -> tensor<2x4x7x7xf32>
  // CHECK: return %[[Y]], %[[NB]], %[[TR]]
  return %y, %nb, %tr : tensor<2x6x4x4xf32>, tensor<2x6x4x4xf32>, tensor<2x4x7x7xf32>
}

// CHECK-LABEL: func.func @conv_transpose_bias(
// CHECK-SAME: %[[X:.*]]: tensor<1x4x3x3xf32>, %[[W:.*]]: tensor<4x2x3x3xf32>, %[[B:.*]]: tensor<2xf32>)
func.func @conv_transpose_bias(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x6x6xf32> {
  // CHECK: nn.conv_transpose2d %[[X]], %[[W]], %[[B]] {dilation = array<i64: 1, 1>, groups = 1 : i64, output_padding = array<i64: 1, 1>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>, tensor<2xf32> -> tensor<1x2x6x6xf32>
  %y = nn.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, output_padding = array<i64: 1, 1>,
                                       dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>, tensor<2xf32> -> tensor<1x2x6x6xf32>
  return %y : tensor<1x2x6x6xf32>
}

// CHECK-LABEL: func.func @pad(
// CHECK-SAME: %[[X:.*]]: tensor<1x3x4x5xf32>, %[[S:.*]]: tensor<3x5xf32>)
func.func @pad(%x: tensor<1x3x4x5xf32>, %s: tensor<3x5xf32>)
    -> (tensor<1x3x7x8xf32>, tensor<1x3x5x7xf32>, tensor<1x3x6x7xf32>, tensor<1x3x5x6xf32>, tensor<5x7xf32>) {
  // CHECK: nn.pad %[[X]] {mode = "constant", pads = array<i64: 1, 2, 0, 3>, value = 5.000000e-01 : f64} : tensor<1x3x4x5xf32> -> tensor<1x3x7x8xf32>
  %c = nn.pad %x {mode = "constant", pads = array<i64: 1, 2, 0, 3>, value = 0.5 : f64} : tensor<1x3x4x5xf32> -> tensor<1x3x7x8xf32>
  // CHECK: nn.pad %[[X]] {mode = "reflect", pads = array<i64: 1, 1, 0, 1>, value = 0.000000e+00 : f64} : tensor<1x3x4x5xf32> -> tensor<1x3x5x7xf32>
  %r = nn.pad %x {mode = "reflect", pads = array<i64: 1, 1, 0, 1>, value = 0.0 : f64} : tensor<1x3x4x5xf32> -> tensor<1x3x5x7xf32>
  // CHECK: nn.pad %[[X]] {mode = "replicate", pads = array<i64: 2, 0, 1, 1>, value = 0.000000e+00 : f64} : tensor<1x3x4x5xf32> -> tensor<1x3x6x7xf32>
  %p = nn.pad %x {mode = "replicate", pads = array<i64: 2, 0, 1, 1>, value = 0.0 : f64} : tensor<1x3x4x5xf32> -> tensor<1x3x6x7xf32>
  // CHECK: nn.pad %[[X]] {mode = "circular", pads = array<i64: 0, 1, 1, 0>, value = 0.000000e+00 : f64} : tensor<1x3x4x5xf32> -> tensor<1x3x5x6xf32>
  %o = nn.pad %x {mode = "circular", pads = array<i64: 0, 1, 1, 0>, value = 0.0 : f64} : tensor<1x3x4x5xf32> -> tensor<1x3x5x6xf32>
  // CHECK: nn.pad %[[S]] {mode = "constant", pads = array<i64: 1, 1, 1, 1>, value = 0.000000e+00 : f64} : tensor<3x5xf32> -> tensor<5x7xf32>
  %s2 = nn.pad %s {mode = "constant", pads = array<i64: 1, 1, 1, 1>, value = 0.0 : f64} : tensor<3x5xf32> -> tensor<5x7xf32>
  return %c, %r, %p, %o, %s2 : tensor<1x3x7x8xf32>, tensor<1x3x5x7xf32>, tensor<1x3x6x7xf32>, tensor<1x3x5x6xf32>, tensor<5x7xf32>
}

// CHECK-LABEL: func.func @pools(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x8x8xf32>)
func.func @pools(%x: tensor<2x3x8x8xf32>)
    -> (tensor<2x3x5x5xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x3x2xf32>) {
  // CHECK: nn.max_pool2d %[[X]] {ceil_mode = true, dilation = array<i64: 1, 1>, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<2x3x8x8xf32> -> tensor<2x3x5x5xf32>
  %m = nn.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                         dilation = array<i64: 1, 1>, ceil_mode = true} : tensor<2x3x8x8xf32> -> tensor<2x3x5x5xf32>
  // CHECK: nn.avg_pool2d %[[X]] {ceil_mode = false, count_include_pad = false, kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<2x3x8x8xf32> -> tensor<2x3x4x4xf32>
  %a = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                         ceil_mode = false, count_include_pad = false} : tensor<2x3x8x8xf32> -> tensor<2x3x4x4xf32>
  // CHECK: nn.avg_pool2d %[[X]] {ceil_mode = false, count_include_pad = true, divisor_override = 3 : i64, kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<2x3x8x8xf32> -> tensor<2x3x4x4xf32>
  %d = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                         ceil_mode = false, count_include_pad = true, divisor_override = 3 : i64} : tensor<2x3x8x8xf32> -> tensor<2x3x4x4xf32>
  // CHECK: nn.adaptive_avg_pool2d %[[X]] : tensor<2x3x8x8xf32> -> tensor<2x3x3x2xf32>
  %g = nn.adaptive_avg_pool2d %x : tensor<2x3x8x8xf32> -> tensor<2x3x3x2xf32>
  return %m, %a, %d, %g : tensor<2x3x5x5xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x3x2xf32>
}
