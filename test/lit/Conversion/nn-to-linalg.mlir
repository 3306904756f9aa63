// nncc-convert-nn-to-linalg: each nn op family's lowering, with broadcasting maps.
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg | FileCheck %s

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @linear
func.func @linear(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[ZERO:.*]] = linalg.fill
  // CHECK: %[[MM:.*]] = linalg.matmul_transpose_b ins(%arg0, %arg1 : tensor<2x4xf32>, tensor<3x4xf32>) outs(%[[ZERO]]
  // CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[MM]], %arg2
  // CHECK: arith.addf
  %y = nn.linear %x, %w, %b : tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @linear_rank3
func.func @linear_rank3(%x: tensor<5x2x4xf32>, %w: tensor<3x4xf32>) -> tensor<5x2x3xf32> {
  // CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<5x2x4xf32> into tensor<10x4xf32>
  // CHECK: linalg.matmul_transpose_b
  // CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [5, 2, 3] : tensor<10x3xf32> into tensor<5x2x3xf32>
  %y = nn.linear %x, %w : tensor<5x2x4xf32>, tensor<3x4xf32> -> tensor<5x2x3xf32>
  return %y : tensor<5x2x3xf32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[STRETCH:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<2x4xf32>, %b: tensor<1x4xf32>) -> tensor<2x4xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[STRETCH]], #[[ID]]]
  // CHECK: arith.mulf
  %m = nn.mul %a, %b : tensor<2x4xf32>, tensor<1x4xf32> -> tensor<2x4xf32>
  // CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
  %r = nn.relu %m : tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @shapes
func.func @shapes(%a: tensor<4x3xf32>, %b: tensor<3x2xf32>, %c: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  // CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<4x3xf32>, tensor<3x2xf32>)
  %m = nn.matmul %a, %b : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
  // CHECK: tensor.collapse_shape %arg2 {{\[\[}}0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
  %f = nn.flatten %c, start_dim = 1, end_dim = -1 : tensor<2x3x4xf32> -> tensor<2x12xf32>
  return %f : tensor<2x12xf32>
}

// -----

// CHECK-LABEL: func.func @tensor_ops
func.func @tensor_ops(%x: tensor<2x3x4xf32>) -> tensor<2x4x4xf32> {
  // CHECK: linalg.transpose ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x4x3xf32>) permutation = [0, 2, 1]
  %p = nn.permute %x, dims = [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  // CHECK: tensor.extract_slice %{{.*}}[0, 0, 1] [2, 4, 2] [1, 1, 1]
  %n = nn.narrow %p, dim = 2, start = 1, length = 2 : tensor<2x4x3xf32> -> tensor<2x4x2xf32>
  // CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [2, 4, 2] [1, 1, 1]
  // CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 2] [2, 4, 2] [1, 1, 1]
  %c = nn.concat %n, %n along dim = 2 : tensor<2x4x2xf32>, tensor<2x4x2xf32> -> tensor<2x4x4xf32>
  return %c : tensor<2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @batch_norm_eval
func.func @batch_norm_eval(%x: tensor<2x3x4xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4xf32> {
  // CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[CH:.*]], #[[CH]], #{{.*}}]
  // CHECK: arith.subf
  // CHECK: math.sqrt
  // CHECK: arith.divf
  %y = nn.batch_norm %x running(%m, %v) {eps = 1.0e-5 : f64} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}
