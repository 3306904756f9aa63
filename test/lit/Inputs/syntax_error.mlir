// The relu's type is missing its closing '>': a syntax error at 3:35.
func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %y = nn.relu %x : tensor<2x4xf32
  return %y : tensor<2x4xf32>
}
