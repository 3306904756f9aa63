// nncc-fuse-elementwise: single-use elementwise producers fold into their consumer, whose location fuses both module paths; a value with two users stays materialised.
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg --nncc-fuse-elementwise -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s

// Linear's bias add and the ReLU after it: one loop nest that reads the matmul's output once.
// CHECK-LABEL: func.func @bias_relu(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x4xf32>{{.*}}, %[[W:[a-z0-9]+]]: tensor<3x4xf32>{{.*}}, %[[B:[a-z0-9]+]]: tensor<3xf32>
func.func @bias_relu(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[MM:.*]] = linalg.matmul_transpose_b ins(%[[X]], %[[W]] : {{.*}} loc("fc")
  // CHECK-NOT: linalg.generic
  // CHECK: %[[FUSED:.*]] = linalg.generic {{.*}} ins(%[[MM]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>)
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: %[[SUM:.*]] = arith.addf {{.*}} loc("fc")
  // CHECK-NEXT: arith.maximumf %[[SUM]], {{.*}} loc("act")
  // CHECK: } -> tensor<2x3xf32> loc(fused["fc", "act"])
  // CHECK-NOT: linalg.generic
  // CHECK: return %[[FUSED]]
  %l = nn.linear %x, %w, %b : tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32> -> tensor<2x3xf32> loc("fc")
  %r = nn.relu %l : tensor<2x3xf32> loc("act")
  return %r : tensor<2x3xf32>
}

// -----

// A chain of three fuses into one op that names all three module paths, in program order.
// CHECK-LABEL: func.func @chain(
func.func @chain(%a: tensor<2x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  // CHECK: %[[FUSED:.*]] = linalg.generic
  // CHECK: arith.addf {{.*}} loc("block.0")
  // CHECK-NEXT: arith.mulf {{.*}} loc("block.1")
  // CHECK-NEXT: arith.maximumf {{.*}} loc("block.2")
  // CHECK: } -> tensor<2x4xf32> loc(fused["block.0", "block.1", "block.2"])
  // CHECK-NOT: linalg.generic
  // CHECK: return %[[FUSED]]
  %s = nn.add %a, %b : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32> loc("block.0")
  %m = nn.mul %s, %a : tensor<2x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32> loc("block.1")
  %r = nn.relu %m : tensor<2x4xf32> loc("block.2")
  return %r : tensor<2x4xf32>
}

// -----

// The sum feeds both the ReLU and the product: fusing it into either would compute it twice, so
// it is computed once, by its own op, and read by two.
// CHECK-LABEL: func.func @two_users(
func.func @two_users(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: %[[SUM:.*]] = linalg.generic
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: arith.addf
  // CHECK-NEXT: linalg.yield
  // CHECK-NEXT: } -> tensor<4xf32> loc("sum")
  // CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<4xf32>)
  // CHECK-NOT: arith.addf
  // CHECK: } -> tensor<4xf32> loc("act")
  // CHECK: %[[PROD:.*]] = linalg.generic {{.*}} ins(%[[SUM]], %{{.*}} : tensor<4xf32>, tensor<4xf32>)
  // CHECK-NOT: arith.addf
  // CHECK: } -> tensor<4xf32> loc("scale")
  // CHECK: return %[[RELU]], %[[PROD]]
  %s = nn.add %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32> loc("sum")
  %r = nn.relu %s : tensor<4xf32> loc("act")
  %m = nn.mul %s, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32> loc("scale")
  return %r, %m : tensor<4xf32>, tensor<4xf32>
}
