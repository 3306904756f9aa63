// nncc-fuse-elementwise: bias add and ReLU become one loop nest over the matmul's output, whose
// location lists both module paths; a producer with two users stays materialised.
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg --nncc-fuse-elementwise -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s

// CHECK-LABEL: func.func @bias_relu
func.func @bias_relu(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: linalg.matmul_transpose_b {{.*}} loc("fc")
  // CHECK: linalg.generic
  // CHECK: arith.addf
  // CHECK-NEXT: arith.maximumf
  // CHECK: } -> tensor<2x3xf32> loc(fused["fc", "act"])
  // CHECK-NOT: linalg.generic
  %l = nn.linear %x, %w, %b : tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32> -> tensor<2x3xf32> loc("fc")
  %r = nn.relu %l : tensor<2x3xf32> loc("act")
  return %r : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @two_users
func.func @two_users(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // The sum feeds both the ReLU and the product: it is computed once, then read twice.
  // CHECK: %[[SUM:.*]] = linalg.generic
  // CHECK: arith.addf
  // CHECK: linalg.generic {{.*}} ins(%[[SUM]]
  // CHECK: linalg.generic {{.*}} ins(%[[SUM]]
  %s = nn.add %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %r = nn.relu %s : tensor<4xf32>
  %m = nn.mul %s, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %r, %m : tensor<4xf32>, tensor<4xf32>
}
