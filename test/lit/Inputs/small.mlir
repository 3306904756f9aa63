// Linear 4->8, ReLU, Linear 8->3 without bias: the model of the `nncc run` and error tests (weights: small.safetensors).
module attributes {nn.class = "Sequential", nn.training = false} {
  nn.parameter @"0.weight" : tensor<8x4xf32>
  nn.parameter @"0.bias" : tensor<8xf32>
  nn.parameter @"2.weight" : tensor<3x8xf32>
  func.func @forward(%x: tensor<2x4xf32> {nn.name = "x"}) -> tensor<2x3xf32> {
    %w0 = nn.get @"0.weight" : tensor<8x4xf32> loc("0.weight")
    %b0 = nn.get @"0.bias" : tensor<8xf32> loc("0.bias")
    %w2 = nn.get @"2.weight" : tensor<3x8xf32> loc("2.weight")
    %h = nn.linear %x, %w0, %b0 : tensor<2x4xf32>, tensor<8x4xf32>, tensor<8xf32> -> tensor<2x8xf32> loc("0")
    %r = nn.relu %h : tensor<2x8xf32> loc("1")
    %y = nn.linear %r, %w2 : tensor<2x8xf32>, tensor<3x8xf32> -> tensor<2x3xf32> loc("2")
    return %y : tensor<2x3xf32> loc("<root>")
  }
}
