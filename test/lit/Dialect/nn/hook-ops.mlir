// Hook points round-trip, and bad kinds are rejected with the op's message.
// RUN: nncc-opt %s --split-input-file --verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @points
// CHECK: nn.hook "forward_pre" at "fc"(%{{.*}}) : tensor<2x3xf32>
// CHECK: nn.hook "forward" at "fc"(%{{.*}}, %{{.*}}) {module_class = "Linear"} : tensor<2x4xf32>, tensor<2x3xf32>
// CHECK: nn.grad_hook "backward_pre" at "fc"(%{{.*}}) : tensor<2x4xf32>
func.func @points(%x: tensor<2x3xf32>, %y: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %x1 = nn.hook "forward_pre" at "fc"(%x) : tensor<2x3xf32>
  %y1 = nn.hook "forward" at "fc"(%y, %x1) {module_class = "Linear"} : tensor<2x4xf32>, tensor<2x3xf32>
  %y2 = nn.grad_hook "backward_pre" at "fc"(%y1) : tensor<2x4xf32>
  return %y2 : tensor<2x4xf32>
}

// -----

func.func @bad_kind(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{unknown hook kind 'forwards'}}
  %y = nn.hook "forwards" at "fc"(%x) : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @input_on_pre_hook(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{only forward hooks see the module's input}}
  %y = nn.hook "forward_pre" at "fc"(%x, %x) : tensor<2x3xf32>, tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @forward_grad_hook(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{kind must be backward_pre, backward or grad, got 'forward'}}
  %y = nn.grad_hook "forward" at "fc"(%x) : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
