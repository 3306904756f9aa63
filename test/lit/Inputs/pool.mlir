// AvgPool2d(2) then ReLU: the model of explain.test's reduction boundary (no weights).
module attributes {nn.class = "Sequential", nn.training = false} {
  func.func @forward(%x: tensor<1x2x8x8xf32> {nn.name = "x"}) -> tensor<1x2x4x4xf32> {
    %p = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>, ceil_mode = false, count_include_pad = true} : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32> loc("0")
    %y = nn.relu %p : tensor<1x2x4x4xf32> loc("1")
    return %y : tensor<1x2x4x4xf32> loc("<root>")
  }
}
