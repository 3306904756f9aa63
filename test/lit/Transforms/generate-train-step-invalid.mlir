// RUN: nncc-opt --nncc-generate-train-step %s -split-input-file -verify-diagnostics > /dev/null

// expected-error @+1 {{no nn.optimizer attribute}}
module {
  nn.parameter @w : tensor<3xf32>
  func.func @train_forward(%x: tensor<3xf32>) -> tensor<f32> {
    %w = nn.get @w : tensor<3xf32>
    %y = nn.mul %x, %w : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %l = nn.sum %y, dims = [0] : tensor<3xf32> -> tensor<f32>
    return %l : tensor<f32>
  }
}

// -----

// expected-error @+1 {{nn.optimizer: kind must be sgd, adam or adamw, got 'lbfgs'}}
module attributes {nn.optimizer = {kind = "lbfgs"}} {
  nn.parameter @w : tensor<3xf32>
  func.func @train_forward(%x: tensor<3xf32>) -> tensor<f32> {
    %w = nn.get @w : tensor<3xf32>
    %y = nn.mul %x, %w : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
    %l = nn.sum %y, dims = [0] : tensor<3xf32> -> tensor<f32>
    return %l : tensor<f32>
  }
}

// -----

module attributes {nn.optimizer = {kind = "adam"}} {
  // expected-error @+1 {{'func.func' op must return the loss as one tensor<f32>}}
  func.func @train_forward(%x: tensor<3xf32>) -> tensor<3xf32> {
    return %x : tensor<3xf32>
  }
}
