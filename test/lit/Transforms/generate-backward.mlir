// RUN: nncc-opt --nncc-generate-backward %s -split-input-file | FileCheck %s

// Layer 0 is frozen: its parameters get no gradient buffer, and nothing
// differentiates through it (no activation_grad for the relu feeding it
// nothing trainable), though the backward recomputes its output.
nn.parameter frozen @"0.weight" : tensor<8x4xf32>
nn.parameter frozen @"0.bias" : tensor<8xf32>
nn.parameter @"2.weight" : tensor<3x8xf32>
nn.parameter @"2.bias" : tensor<3xf32>
// CHECK-NOT: grad.0.
// CHECK: nn.buffer non_persistent @grad.2.weight : tensor<3x8xf32>
// CHECK: nn.buffer non_persistent @grad.2.bias : tensor<3xf32>
func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w0 = nn.get @"0.weight" : tensor<8x4xf32> loc("0")
  %b0 = nn.get @"0.bias" : tensor<8xf32> loc("0")
  %w2 = nn.get @"2.weight" : tensor<3x8xf32> loc("2")
  %b2 = nn.get @"2.bias" : tensor<3xf32> loc("2")
  %h = nn.linear %x, %w0, %b0 : tensor<2x4xf32>, tensor<8x4xf32>, tensor<8xf32> -> tensor<2x8xf32> loc("0")
  %r = nn.relu %h : tensor<2x8xf32> loc("1")
  %y = nn.linear %r, %w2, %b2 : tensor<2x8xf32>, tensor<3x8xf32>, tensor<3xf32> -> tensor<2x3xf32> loc("2")
  return %y : tensor<2x3xf32>
}
// CHECK-LABEL: func.func @backward(
// CHECK-SAME: %[[X:.*]]: tensor<2x4xf32>, %[[DY:.*]]: tensor<2x3xf32> {nn.name = "grad_output0"})
// CHECK: %[[H:.*]] = nn.linear %[[X]]
// CHECK: %[[R:.*]] = nn.relu %[[H]]
// CHECK-NOT: nn.activation_grad
// CHECK: %[[DYT:.*]] = nn.permute %[[DY]], dims = [1, 0]
// CHECK: %[[DW:.*]] = nn.matmul %[[DYT]], %[[R]]
// CHECK: %[[DB:.*]] = nn.sum %[[DY]], dims = [0]
// CHECK: %[[OLD:.*]] = nn.get @grad.2.weight
// CHECK: %grad.2.weight{{.*}} = nn.add %[[OLD]], %[[DW]]
// CHECK: nn.assign @grad.2.weight, %grad.2.weight
// CHECK: nn.assign @grad.2.bias
// CHECK-NOT: nn.activation_grad
// CHECK: return{{$}}

// -----

// A parameter used twice accumulates both contributions.
nn.parameter @w : tensor<4x4xf32>
// CHECK-LABEL: func.func @backward(
func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %w = nn.get @w : tensor<4x4xf32>
  %a = nn.linear %x, %w : tensor<2x4xf32>, tensor<4x4xf32> -> tensor<2x4xf32>
  %b = nn.linear %a, %w : tensor<2x4xf32>, tensor<4x4xf32> -> tensor<2x4xf32>
  return %b : tensor<2x4xf32>
}
// CHECK-COUNT-3: nn.matmul
// CHECK: %[[SUM:.*]] = nn.add %{{.*}}, %{{.*}} : tensor<4x4xf32>, tensor<4x4xf32>
// CHECK: %[[OLD:.*]] = nn.get @grad.w
// CHECK: %grad.w = nn.add %[[OLD]], %[[SUM]]

