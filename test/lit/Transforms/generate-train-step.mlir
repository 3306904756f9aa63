// RUN: nncc-opt --nncc-generate-backward --nncc-generate-train-step %s | FileCheck %s

// SGD with momentum and Nesterov: the state is a momentum buffer per
// parameter and the shared step counter; the step assigns the parameter,
// its momentum buffer and its gradient, and returns the loss.
module attributes {nn.optimizer = {kind = "sgd", lr = 1.000000e-01 : f64, momentum = 9.000000e-01 : f64, nesterov = true}} {
  nn.parameter @w : tensor<3x4xf32>
  // CHECK: nn.buffer non_persistent @grad.w : tensor<3x4xf32>
  // CHECK: nn.buffer non_persistent @optim.step : tensor<f32>
  // CHECK: nn.buffer non_persistent @optim.w.momentum_buffer : tensor<3x4xf32>
  func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
    %w = nn.get @w : tensor<3x4xf32>
    %y = nn.linear %x, %w : tensor<2x4xf32>, tensor<3x4xf32> -> tensor<2x3xf32>
    return %y : tensor<2x3xf32>
  }
  // CHECK-LABEL: func.func @train_step(
  // CHECK-SAME: -> tensor<f32>
  func.func @train_forward(%x: tensor<2x4xf32>, %t: tensor<2x3xf32>) -> tensor<f32> {
    %w = nn.get @w : tensor<3x4xf32>
    %y = nn.linear %x, %w : tensor<2x4xf32>, tensor<3x4xf32> -> tensor<2x3xf32>
    %d = nn.sub %y, %t : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
    %sq = nn.mul %d, %d : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
    %l = nn.sum %sq, dims = [0, 1] : tensor<2x3xf32> -> tensor<f32>
    return %l : tensor<f32>
  }
  // CHECK: %[[LOSS:.*]] = nn.sum
  // CHECK: %grad.w = nn.matmul
  // CHECK: nn.get @optim.step
  // CHECK: nn.assign @optim.step
  // CHECK: nn.assign @grad.w, %grad.w
  // CHECK: nn.get @optim.w.momentum_buffer
  // CHECK: nn.assign @optim.w.momentum_buffer
  // CHECK: nn.assign @w
  // CHECK: return %[[LOSS]] : tensor<f32>
  // CHECK-NOT: @train_forward
}

