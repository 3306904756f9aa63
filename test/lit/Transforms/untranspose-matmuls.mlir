// nncc-untranspose-matmuls: a matmul_transpose_b with at least 256 rows of A becomes a transpose
// of B and a plain matmul; fewer rows keep the dot-kernel layout.
// RUN: nncc-opt %s -split-input-file --nncc-untranspose-matmuls | FileCheck %s

// CHECK-LABEL: func.func @many_rows(
// CHECK-SAME: %[[X:.*]]: tensor<256x64xf32>, %[[W:.*]]: tensor<32x64xf32>, %[[C:.*]]: tensor<256x32xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<64x32xf32>
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]] : tensor<32x64xf32>) outs(%[[E]] : tensor<64x32xf32>) permutation = [1, 0]
// CHECK: %[[Y:.*]] = linalg.matmul ins(%[[X]], %[[WT]] : tensor<256x64xf32>, tensor<64x32xf32>) outs(%[[C]] : tensor<256x32xf32>)
// CHECK-NOT: matmul_transpose_b
// CHECK: return %[[Y]]
func.func @many_rows(%x: tensor<256x64xf32>, %w: tensor<32x64xf32>, %c: tensor<256x32xf32>) -> tensor<256x32xf32> {
  %y = linalg.matmul_transpose_b ins(%x, %w : tensor<256x64xf32>, tensor<32x64xf32>) outs(%c : tensor<256x32xf32>) -> tensor<256x32xf32>
  return %y : tensor<256x32xf32>
}

// -----

// CHECK-LABEL: func.func @few_rows(
// CHECK-NOT: linalg.transpose
// CHECK: linalg.matmul_transpose_b
func.func @few_rows(%x: tensor<255x64xf32>, %w: tensor<32x64xf32>, %c: tensor<255x32xf32>) -> tensor<255x32xf32> {
  %y = linalg.matmul_transpose_b ins(%x, %w : tensor<255x64xf32>, tensor<32x64xf32>) outs(%c : tensor<255x32xf32>) -> tensor<255x32xf32>
  return %y : tensor<255x32xf32>
}
