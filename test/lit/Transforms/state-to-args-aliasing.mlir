// A buffer's new value that is also returned gets its own out-parameter: the whole CPU pipeline
// runs through (it used to crash in buffer-results-to-out-params).
// RUN: nncc-opt %s --nncc-cpu-pipeline | FileCheck %s

// CHECK: llvm.func @nncc_model_forward
nn.buffer @mean : tensor<3xf32>
func.func @forward(%x: tensor<3xf32>) -> tensor<3xf32> {
  %m = nn.get @mean : tensor<3xf32>
  %n = nn.add %m, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  nn.assign @mean, %n : tensor<3xf32>
  return %n : tensor<3xf32>
}
