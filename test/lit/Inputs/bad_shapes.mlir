// Parses, but the linear has 3 input features against a weight of 4: a verifier error at 3:8.
func.func @forward(%x: tensor<2x3xf32>, %w: tensor<4x4xf32>) -> tensor<2x4xf32> {
  %y = nn.linear %x, %w : tensor<2x3xf32>, tensor<4x4xf32> -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
