// The activation, softmax and normalization ops parse, print in their custom form, and parse again to the same text, also from the generic form.
// RUN: nncc-opt %s | nncc-opt | FileCheck %s
// RUN: nncc-opt %s -mlir-print-op-generic | nncc-opt | FileCheck %s

// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME: %[[X:.*]]: tensor<2x4x3xf32>)
func.func @elementwise(%x: tensor<2x4x3xf32>) -> tensor<2x4x3xf32> {
  // CHECK: %[[A:.*]] = nn.sigmoid %[[X]] : tensor<2x4x3xf32>
  %a = nn.sigmoid %x : tensor<2x4x3xf32>
  // CHECK: %[[B:.*]] = nn.tanh %[[A]] : tensor<2x4x3xf32>
  %b = nn.tanh %a : tensor<2x4x3xf32>
  // CHECK: %[[C:.*]] = nn.silu %[[B]] : tensor<2x4x3xf32>
  %c = nn.silu %b : tensor<2x4x3xf32>
  // CHECK: %[[D:.*]] = nn.hardswish %[[C]] : tensor<2x4x3xf32>
  %d = nn.hardswish %c : tensor<2x4x3xf32>
  // CHECK: %[[E:.*]] = nn.leaky_relu %[[D]] {negative_slope = 2.000000e-01 : f64} : tensor<2x4x3xf32>
  %e = nn.leaky_relu %d {negative_slope = 0.2 : f64} : tensor<2x4x3xf32>
  // CHECK: %[[F:.*]] = nn.gelu %[[E]] {approximate = "none"} : tensor<2x4x3xf32>
  %f = nn.gelu %e {approximate = "none"} : tensor<2x4x3xf32>
  // CHECK: %[[G:.*]] = nn.gelu %[[F]] {approximate = "tanh"} : tensor<2x4x3xf32>
  %g = nn.gelu %f {approximate = "tanh"} : tensor<2x4x3xf32>
  // CHECK: return %[[G]] : tensor<2x4x3xf32>
  return %g : tensor<2x4x3xf32>
}

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[X:.*]]: tensor<3x4x5xf32>)
func.func @softmax(%x: tensor<3x4x5xf32>) -> (tensor<3x4x5xf32>, tensor<3x4x5xf32>, tensor<3x4x5xf32>) {
  // CHECK: nn.softmax %[[X]], dim = 0 : tensor<3x4x5xf32>
  %s0 = nn.softmax %x, dim = 0 : tensor<3x4x5xf32>
  // CHECK: nn.softmax %[[X]], dim = -1 : tensor<3x4x5xf32>
  %s1 = nn.softmax %x, dim = -1 : tensor<3x4x5xf32>
  // CHECK: nn.log_softmax %[[X]], dim = 1 : tensor<3x4x5xf32>
  %l = nn.log_softmax %x, dim = 1 : tensor<3x4x5xf32>
  return %s0, %s1, %l : tensor<3x4x5xf32>, tensor<3x4x5xf32>, tensor<3x4x5xf32>
}

// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x4xf32>, %[[W:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<3x4xf32>)
func.func @layer_norm(%x: tensor<2x3x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  // CHECK: nn.layer_norm %[[X]] affine(%[[W]], %[[B]]) {eps = 1.000000e-03 : f64, normalized_ndim = 2 : i64} : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  %a = nn.layer_norm %x affine(%w, %b) {eps = 1.0e-3 : f64, normalized_ndim = 2 : i64} : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  // CHECK: nn.layer_norm %[[X]] {eps = 1.000000e-05 : f64, normalized_ndim = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %p = nn.layer_norm %x {eps = 1.0e-5 : f64, normalized_ndim = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %a, %p : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @group_norm(
// CHECK-SAME: %[[X:.*]]: tensor<2x8x3x3xf32>, %[[W:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
func.func @group_norm(%x: tensor<2x8x3x3xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> (tensor<2x8x3x3xf32>, tensor<2x8x3x3xf32>) {
  // CHECK: nn.group_norm %[[X]] affine(%[[W]], %[[B]]) {eps = 1.000000e-05 : f64, num_groups = 4 : i64} : (tensor<2x8x3x3xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8x3x3xf32>
  %a = nn.group_norm %x affine(%w, %b) {eps = 1.0e-5 : f64, num_groups = 4 : i64} : (tensor<2x8x3x3xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8x3x3xf32>
  // CHECK: nn.group_norm %[[X]] {eps = 1.000000e-05 : f64, num_groups = 1 : i64} : (tensor<2x8x3x3xf32>) -> tensor<2x8x3x3xf32>
  %p = nn.group_norm %x {eps = 1.0e-5 : f64, num_groups = 1 : i64} : (tensor<2x8x3x3xf32>) -> tensor<2x8x3x3xf32>
  return %a, %p : tensor<2x8x3x3xf32>, tensor<2x8x3x3xf32>
}
