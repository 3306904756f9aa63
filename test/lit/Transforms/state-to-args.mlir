// nncc-state-to-args: parameters and buffers become named, read-only arguments in declaration order; buffer updates become extra results listed in nn.updates; a result that is an argument, or returned twice, gets its own copy.
// RUN: nncc-opt %s -split-input-file --nncc-state-to-args | FileCheck %s

nn.parameter @"0.weight" : tensor<3x4xf32>
nn.buffer non_persistent @scale : tensor<3xf32>
nn.parameter frozen @"0.bias" : tensor<3xf32>
// CHECK-NOT: nn.parameter
// CHECK-NOT: nn.buffer
// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<2x4xf32> {bufferization.writable = false, nn.name = "x", nn.role = "input"},
// CHECK-SAME: %[[W:[a-z0-9]+]]: tensor<3x4xf32> {bufferization.writable = false, nn.role = "parameter", nn.state = "0.weight"},
// CHECK-SAME: %[[S:[a-z0-9]+]]: tensor<3xf32> {bufferization.writable = false, nn.non_persistent, nn.role = "buffer", nn.state = "scale"},
// CHECK-SAME: %[[B:[a-z0-9]+]]: tensor<3xf32> {bufferization.writable = false, nn.role = "parameter", nn.state = "0.bias"})
// CHECK-SAME: -> tensor<2x3xf32> {
func.func @forward(%x: tensor<2x4xf32> {nn.name = "x"}) -> tensor<2x3xf32> {
  // CHECK-NOT: nn.get
  %b = nn.get @"0.bias" : tensor<3xf32>
  %w = nn.get @"0.weight" : tensor<3x4xf32>
  %s = nn.get @scale : tensor<3xf32>
  // CHECK: %[[L:.*]] = nn.linear %[[X]], %[[W]], %[[B]]
  %l = nn.linear %x, %w, %b : tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32> -> tensor<2x3xf32>
  // CHECK: %[[Y:.*]] = nn.mul %[[L]], %[[S]]
  %y = nn.mul %l, %s : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  // CHECK-NOT: linalg.copy
  // CHECK: return %[[Y]] : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
// Declarations without a body keep their signature.
// CHECK: func.func private @external(tensor<3xf32>) -> tensor<3xf32>
func.func private @external(tensor<3xf32>) -> tensor<3xf32>

// -----

// Each updated buffer's last assigned value is an extra result, in first-assignment order.
nn.buffer @var : tensor<3xf32>
nn.buffer @mean : tensor<3xf32>
// CHECK-LABEL: func.func @update(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<3xf32> {bufferization.writable = false, nn.role = "input"},
// CHECK-SAME: %[[VAR:[a-z0-9]+]]: tensor<3xf32> {bufferization.writable = false, nn.role = "buffer", nn.state = "var"},
// CHECK-SAME: %[[MEAN:[a-z0-9]+]]: tensor<3xf32> {bufferization.writable = false, nn.role = "buffer", nn.state = "mean"})
// CHECK-SAME: -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) attributes {nn.updates = ["mean", "var"]}
func.func @update(%x: tensor<3xf32>) -> tensor<3xf32> {
  %m = nn.get @mean : tensor<3xf32>
  %v = nn.get @var : tensor<3xf32>
  // CHECK: %[[M1:.*]] = nn.add %[[MEAN]], %[[X]]
  %m1 = nn.add %m, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  // CHECK-NOT: nn.assign
  nn.assign @mean, %m1 : tensor<3xf32>
  // CHECK: %[[V1:.*]] = nn.mul %[[VAR]], %[[X]]
  %v1 = nn.mul %v, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  nn.assign @var, %v1 : tensor<3xf32>
  // CHECK: %[[M2:.*]] = nn.mul %[[M1]], %[[X]]
  %m2 = nn.mul %m1, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  nn.assign @mean, %m2 : tensor<3xf32>
  // CHECK: %[[Y:.*]] = nn.relu %[[M1]]
  %y = nn.relu %m1 : tensor<3xf32>
  // CHECK: return %[[Y]], %[[M2]], %[[V1]] : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Out-parameters must not alias the inputs or each other: an argument returned as is, and the
// second return of one value, are copied.
// CHECK-LABEL: func.func @aliases(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<3xf32>
func.func @aliases(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  // CHECK: %[[R:.*]] = nn.relu %[[X]]
  %r = nn.relu %x : tensor<3xf32>
  // CHECK: %[[E1:.*]] = tensor.empty() : tensor<3xf32>
  // CHECK: %[[CX:.*]] = linalg.copy ins(%[[X]] : tensor<3xf32>) outs(%[[E1]] : tensor<3xf32>)
  // CHECK: %[[E2:.*]] = tensor.empty() : tensor<3xf32>
  // CHECK: %[[CR:.*]] = linalg.copy ins(%[[R]] : tensor<3xf32>) outs(%[[E2]] : tensor<3xf32>)
  // CHECK: return %[[CX]], %[[R]], %[[CR]]
  return %x, %r, %r : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}
