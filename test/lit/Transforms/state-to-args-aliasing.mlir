// A buffer's new value that is also returned, or that is an argument, gets its own out-parameter:
// the whole CPU pipeline runs through (it used to crash in buffer-results-to-out-params).
// RUN: nncc-opt %s -split-input-file --nncc-cpu-pipeline | FileCheck %s

// CHECK: llvm.func @nncc_model_forward
nn.buffer @mean : tensor<3xf32>
func.func @forward(%x: tensor<3xf32>) -> tensor<3xf32> {
  %m = nn.get @mean : tensor<3xf32>
  %n = nn.add %m, %x : tensor<3xf32>, tensor<3xf32> -> tensor<3xf32>
  nn.assign @mean, %n : tensor<3xf32>
  return %n : tensor<3xf32>
}

// -----

// CHECK: llvm.func @nncc_model_forward
nn.buffer @mean : tensor<3xf32>
func.func @forward(%x: tensor<3xf32>) -> tensor<3xf32> {
  nn.assign @mean, %x : tensor<3xf32>
  return %x : tensor<3xf32>
}
