// The activation, normalization, convolution and pooling ops parse, print and parse again.
// RUN: nncc-opt %s | nncc-opt | FileCheck %s

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<2x8xf32>, %w: tensor<8xf32>) -> tensor<2x8xf32> {
  // CHECK: nn.sigmoid %{{.*}} : tensor<2x8xf32>
  %a = nn.sigmoid %x : tensor<2x8xf32>
  // CHECK: nn.tanh
  %b = nn.tanh %a : tensor<2x8xf32>
  // CHECK: nn.silu
  %c = nn.silu %b : tensor<2x8xf32>
  // CHECK: nn.hardswish
  %d = nn.hardswish %c : tensor<2x8xf32>
  // CHECK: nn.leaky_relu %{{.*}} {negative_slope = 2.000000e-01 : f64} : tensor<2x8xf32>
  %e = nn.leaky_relu %d {negative_slope = 0.2 : f64} : tensor<2x8xf32>
  // CHECK: nn.gelu %{{.*}} {approximate = "tanh"} : tensor<2x8xf32>
  %f = nn.gelu %e {approximate = "tanh"} : tensor<2x8xf32>
  // CHECK: nn.softmax %{{.*}}, dim = 1 : tensor<2x8xf32>
  %g = nn.softmax %f, dim = 1 : tensor<2x8xf32>
  // CHECK: nn.log_softmax %{{.*}}, dim = -1 : tensor<2x8xf32>
  %h = nn.log_softmax %g, dim = -1 : tensor<2x8xf32>
  // CHECK: nn.layer_norm %{{.*}} affine(%{{.*}}, %{{.*}}) {eps = 1.000000e-05 : f64, normalized_ndim = 1 : i64}
  %i = nn.layer_norm %h affine(%w, %w) {eps = 1.0e-5 : f64, normalized_ndim = 1 : i64} : (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %i : tensor<2x8xf32>
}

// CHECK-LABEL: func.func @convolutions
func.func @convolutions(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %t: tensor<6x3x2x2xf32>) -> tensor<1x3x2x2xf32> {
  // CHECK: nn.group_norm %{{.*}} {eps = 1.000000e-05 : f64, num_groups = 2 : i64}
  %g = nn.group_norm %x {eps = 1.0e-5 : f64, num_groups = 2 : i64} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: nn.pad %{{.*}} {mode = "reflect", pads = array<i64: 1, 1, 1, 1>, value = 0.000000e+00 : f64} : tensor<1x4x8x8xf32> -> tensor<1x4x10x10xf32>
  %p = nn.pad %g {mode = "reflect", pads = array<i64: 1, 1, 1, 1>, value = 0.0 : f64} : tensor<1x4x8x8xf32> -> tensor<1x4x10x10xf32>
  // CHECK: nn.conv2d %{{.*}}, %{{.*}} {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<1x4x10x10xf32>, tensor<6x2x3x3xf32> -> tensor<1x6x4x4xf32>
  %c = nn.conv2d %p, %w {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<1x4x10x10xf32>, tensor<6x2x3x3xf32> -> tensor<1x6x4x4xf32>
  // CHECK: nn.max_pool2d %{{.*}} {ceil_mode = false, dilation = array<i64: 1, 1>, kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<1x6x4x4xf32> -> tensor<1x6x2x2xf32>
  %m = nn.max_pool2d %c {ceil_mode = false, dilation = array<i64: 1, 1>, kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<1x6x4x4xf32> -> tensor<1x6x2x2xf32>
  // CHECK: nn.avg_pool2d %{{.*}} {ceil_mode = false, count_include_pad = true, kernel = array<i64: 1, 1>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>}
  %a = nn.avg_pool2d %m {ceil_mode = false, count_include_pad = true, kernel = array<i64: 1, 1>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : tensor<1x6x2x2xf32> -> tensor<1x6x2x2xf32>
  // CHECK: nn.adaptive_avg_pool2d %{{.*}} : tensor<1x6x2x2xf32> -> tensor<1x6x1x1xf32>
  %q = nn.adaptive_avg_pool2d %a : tensor<1x6x2x2xf32> -> tensor<1x6x1x1xf32>
  // CHECK: nn.conv_transpose2d %{{.*}}, %{{.*}} {dilation = array<i64: 1, 1>, groups = 1 : i64, output_padding = array<i64: 0, 0>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<1x6x1x1xf32>, tensor<6x3x2x2xf32> -> tensor<1x3x2x2xf32>
  %y = nn.conv_transpose2d %q, %t {dilation = array<i64: 1, 1>, groups = 1 : i64, output_padding = array<i64: 0, 0>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<1x6x1x1xf32>, tensor<6x3x2x2xf32> -> tensor<1x3x2x2xf32>
  return %y : tensor<1x3x2x2xf32>
}
