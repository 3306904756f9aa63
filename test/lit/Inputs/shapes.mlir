// Rank-3 linear, broadcasting add and mul, batched matmul and flatten, with two outputs (weights: shapes.safetensors).
module attributes {nn.class = "Shapes", nn.training = false} {
  nn.parameter @"proj.weight" : tensor<5x4xf32>
  nn.parameter @"proj.bias" : tensor<5xf32>
  nn.buffer @shift : tensor<3x1xf32>
  nn.parameter frozen @gain : tensor<5xf32>
  nn.parameter @mix : tensor<2x5x2xf32>
  func.func @forward(%x: tensor<2x3x4xf32> {nn.name = "x"}) -> (tensor<2x6xf32>, tensor<2x3x5xf32>) {
    %w = nn.get @"proj.weight" : tensor<5x4xf32> loc("proj.weight")
    %b = nn.get @"proj.bias" : tensor<5xf32> loc("proj.bias")
    %s = nn.get @shift : tensor<3x1xf32> loc("shift")
    %g = nn.get @gain : tensor<5xf32> loc("gain")
    %m = nn.get @mix : tensor<2x5x2xf32> loc("mix")
    %p = nn.linear %x, %w, %b : tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<5xf32> -> tensor<2x3x5xf32> loc("proj")
    %a = nn.add %p, %s : tensor<2x3x5xf32>, tensor<3x1xf32> -> tensor<2x3x5xf32> loc("<root>")
    %r = nn.relu %a : tensor<2x3x5xf32> loc("act")
    %q = nn.mul %r, %g : tensor<2x3x5xf32>, tensor<5xf32> -> tensor<2x3x5xf32> loc("<root>")
    %mm = nn.matmul %q, %m : tensor<2x3x5xf32>, tensor<2x5x2xf32> -> tensor<2x3x2xf32> loc("<root>")
    %f = nn.flatten %mm, start_dim = 1, end_dim = -1 : tensor<2x3x2xf32> -> tensor<2x6xf32> loc("flatten")
    return %f, %p : tensor<2x6xf32>, tensor<2x3x5xf32> loc("<root>")
  }
}
