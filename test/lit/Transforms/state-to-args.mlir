// nncc-state-to-args: state symbols become named, read-only arguments; buffer updates become
// results listed in nn.updates; an argument returned as is gets its own copy.
// RUN: nncc-opt %s -split-input-file --nncc-state-to-args | FileCheck %s

nn.parameter @"0.weight" : tensor<3x4xf32>
nn.buffer non_persistent @scale : tensor<3xf32>
// CHECK-NOT: nn.parameter
// CHECK-NOT: nn.buffer
// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %[[X:.*]]: tensor<2x4xf32> {bufferization.writable = false, nn.role = "input"}
// CHECK-SAME: %[[W:.*]]: tensor<3x4xf32> {bufferization.writable = false, nn.role = "parameter", nn.state = "0.weight"}
// CHECK-SAME: %[[S:.*]]: tensor<3xf32> {bufferization.writable = false, nn.non_persistent, nn.role = "buffer", nn.state = "scale"}
func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  // CHECK-NOT: nn.get
  %w = nn.get @"0.weight" : tensor<3x4xf32>
  %s = nn.get @scale : tensor<3xf32>
  // CHECK: %[[L:.*]] = nn.linear %[[X]], %[[W]]
  %l = nn.linear %x, %w : tensor<2x4xf32>, tensor<3x4xf32> -> tensor<2x3xf32>
  // CHECK: nn.mul %[[L]], %[[S]]
  %y = nn.mul %l, %s : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

nn.buffer @mean : tensor<3xf32>
// CHECK-LABEL: func.func @update(
// CHECK-SAME: -> (tensor<3xf32>, tensor<3xf32>) attributes {nn.updates = ["mean"]}
func.func @update(%x: tensor<3xf32>) -> tensor<3xf32> {
  %m = nn.get @mean : tensor<3xf32>
  %new = nn.add %m, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  // CHECK-NOT: nn.assign
  nn.assign @mean, %new : tensor<3xf32>
  // CHECK: %[[NEW:.*]] = nn.add
  // CHECK: %[[COPY:.*]] = linalg.copy ins(%arg0
  // CHECK: return %[[COPY]], %[[NEW]]
  return %x : tensor<3xf32>
}
