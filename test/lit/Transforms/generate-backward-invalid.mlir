// RUN: nncc-opt --nncc-generate-backward %s -verify-diagnostics > /dev/null

// expected-error @+1 {{no @forward to differentiate}}
module {
  func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}

