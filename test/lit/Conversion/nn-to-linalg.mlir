// nncc-convert-nn-to-linalg: each nn op's lowering to linalg and tensor ops, with broadcasting indexing maps and module-path locations carried over.
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg -mlir-print-local-scope | FileCheck %s
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// Linear: a zero fill, matmul_transpose_b, then the bias added along the rows.
// CHECK-LABEL: func.func @linear(
// CHECK-SAME: %[[X:.*]]: tensor<2x4xf32>, %[[W:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<3xf32>)
// LOC-LABEL: func.func @linear(
func.func @linear(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3xf32>
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[MM:.*]] = linalg.matmul_transpose_b ins(%[[X]], %[[W]] : tensor<2x4xf32>, tensor<3x4xf32>) outs(%[[ACC]] : tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[MM]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>)
  // CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[BIAS:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[IN]], %[[BIAS]] : f32
  // CHECK-NEXT: linalg.yield %[[SUM]] : f32
  // CHECK: return %[[Y]]
  // LOC: linalg.fill {{.*}} loc("encoder.fc")
  // LOC: linalg.matmul_transpose_b {{.*}} loc("encoder.fc")
  // LOC: arith.addf {{.*}} loc("encoder.fc")
  // LOC: } -> tensor<2x3xf32> loc("encoder.fc")
  %y = nn.linear %x, %w, %b : tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32> -> tensor<2x3xf32> loc("encoder.fc")
  return %y : tensor<2x3xf32>
}

// -----

// Without a bias there is no elementwise op.
// CHECK-LABEL: func.func @linear_no_bias(
func.func @linear_no_bias(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[MM:.*]] = linalg.matmul_transpose_b
  // CHECK-NOT: linalg.generic
  // CHECK: return %[[MM]]
  %y = nn.linear %x, %w : tensor<2x4xf32>, tensor<3x4xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A rank-3 input's leading dims are collapsed into the matmul's rows and expanded back after.
// CHECK-LABEL: func.func @linear_rank3(
// CHECK-SAME: %[[X:.*]]: tensor<5x2x4xf32>, %[[W:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<3xf32>)
func.func @linear_rank3(%x: tensor<5x2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>) -> tensor<5x2x3xf32> {
  // CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<5x2x4xf32> into tensor<10x4xf32>
  // CHECK: %[[MM:.*]] = linalg.matmul_transpose_b ins(%[[ROWS]], %[[W]] : tensor<10x4xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<10x3xf32>)
  // CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[MM]], %[[B]] : tensor<10x3xf32>, tensor<3xf32>)
  // CHECK: %[[Y:.*]] = tensor.expand_shape %[[SUM]] {{\[\[}}0, 1], [2]] output_shape [5, 2, 3] : tensor<10x3xf32> into tensor<5x2x3xf32>
  // CHECK: return %[[Y]]
  %y = nn.linear %x, %w, %b : tensor<5x2x4xf32>, tensor<3x4xf32>, tensor<3xf32> -> tensor<5x2x3xf32>
  return %y : tensor<5x2x3xf32>
}

// -----

// A rank-1 input is one row.
// CHECK-LABEL: func.func @linear_rank1(
func.func @linear_rank1(%x: tensor<4xf32>, %w: tensor<3x4xf32>) -> tensor<3xf32> {
  // CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
  // CHECK: linalg.matmul_transpose_b {{.*}} -> tensor<1x3xf32>
  // CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<1x3xf32> into tensor<3xf32>
  %y = nn.linear %x, %w : tensor<4xf32>, tensor<3x4xf32> -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Broadcasting: operands align from the right; a size-1 dim that stretches reads index 0, and a
// missing leading dim is not indexed at all.
// CHECK-LABEL: func.func @broadcast(
// CHECK-SAME: %[[A:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<3x1xf32>, %[[C:.*]]: tensor<f32>, %[[D:.*]]: tensor<1x1x4xf32>)
func.func @broadcast(%a: tensor<2x3x4xf32>, %b: tensor<3x1xf32>, %c: tensor<f32>, %d: tensor<1x1x4xf32>) -> tensor<2x3x4xf32> {
  // CHECK: %[[E0:.*]] = tensor.empty() : tensor<2x3x4xf32>
  // CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<2x3x4xf32>, tensor<3x1xf32>) outs(%[[E0]] : tensor<2x3x4xf32>)
  // CHECK: arith.addf
  %s = nn.add %a, %b : tensor<2x3x4xf32>, tensor<3x1xf32> -> tensor<2x3x4xf32>
  // CHECK: %[[T:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> ()>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], {{.*}} ins(%[[C]], %[[S]] : tensor<f32>, tensor<2x3x4xf32>)
  // CHECK: arith.mulf
  %t = nn.mul %c, %s : tensor<f32>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  // CHECK: %[[U:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (0, 0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], {{.*}} ins(%[[T]], %[[D]] : tensor<2x3x4xf32>, tensor<1x1x4xf32>)
  // CHECK: arith.mulf
  %u = nn.mul %t, %d : tensor<2x3x4xf32>, tensor<1x1x4xf32> -> tensor<2x3x4xf32>
  // CHECK: return %[[U]]
  return %u : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @relu(
// CHECK-SAME: %[[X:.*]]: tensor<2x4xf32>)
func.func @relu(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<2x4xf32>)
  // CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-NEXT: %[[MAX:.*]] = arith.maximumf %[[IN]], %[[ZERO]] : f32
  // CHECK-NEXT: linalg.yield %[[MAX]] : f32
  %r = nn.relu %x : tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3x2xf32>, %[[C:.*]]: tensor<4x3x2xf32>, %[[D:.*]]: tensor<4x2x5xf32>)
func.func @matmul(%a: tensor<4x3xf32>, %b: tensor<3x2xf32>, %c: tensor<4x3x2xf32>, %d: tensor<4x2x5xf32>) -> (tensor<4x2xf32>, tensor<4x3x5xf32>) {
  // CHECK: %[[ACC:.*]] = linalg.fill {{.*}} -> tensor<4x2xf32>
  // CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<4x3xf32>, tensor<3x2xf32>) outs(%[[ACC]] : tensor<4x2xf32>) -> tensor<4x2xf32>
  %m = nn.matmul %a, %b : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
  // CHECK: %[[BACC:.*]] = linalg.fill {{.*}} -> tensor<4x3x5xf32>
  // CHECK: linalg.batch_matmul ins(%[[C]], %[[D]] : tensor<4x3x2xf32>, tensor<4x2x5xf32>) outs(%[[BACC]] : tensor<4x3x5xf32>) -> tensor<4x3x5xf32>
  %bm = nn.matmul %c, %d : tensor<4x3x2xf32>, tensor<4x2x5xf32> -> tensor<4x3x5xf32>
  return %m, %bm : tensor<4x2xf32>, tensor<4x3x5xf32>
}

// -----

// Flatten is a collapse of dims start..end; flattening one dim is the identity.
// CHECK-LABEL: func.func @flatten(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x4x5xf32>)
func.func @flatten(%x: tensor<2x3x4x5xf32>) -> (tensor<2x60xf32>, tensor<2x12x5xf32>, tensor<2x3x4x5xf32>) {
  // CHECK: %[[TAIL:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0], [1, 2, 3]] : tensor<2x3x4x5xf32> into tensor<2x60xf32>
  %f = nn.flatten %x, start_dim = 1, end_dim = -1 : tensor<2x3x4x5xf32> -> tensor<2x60xf32>
  // CHECK: %[[MID:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0], [1, 2], [3]] : tensor<2x3x4x5xf32> into tensor<2x12x5xf32>
  %g = nn.flatten %x, start_dim = 1, end_dim = 2 : tensor<2x3x4x5xf32> -> tensor<2x12x5xf32>
  %h = nn.flatten %x, start_dim = -2, end_dim = -2 : tensor<2x3x4x5xf32> -> tensor<2x3x4x5xf32>
  // CHECK: return %[[TAIL]], %[[MID]], %[[X]]
  return %f, %g, %h : tensor<2x60xf32>, tensor<2x12x5xf32>, tensor<2x3x4x5xf32>
}

// -----

// CHECK-LABEL: func.func @tensor_ops(
func.func @tensor_ops(%x: tensor<2x3x4xf32>) -> tensor<2x4x4xf32> {
  // CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x4x3xf32>) permutation = [0, 2, 1]
  %p = nn.permute %x, dims = [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  // CHECK: tensor.extract_slice %{{.*}}[0, 0, 1] [2, 4, 2] [1, 1, 1]
  %n = nn.narrow %p, dim = 2, start = 1, length = 2 : tensor<2x4x3xf32> -> tensor<2x4x2xf32>
  // CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [2, 4, 2] [1, 1, 1]
  // CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 2] [2, 4, 2] [1, 1, 1]
  %c = nn.concat %n, %n along dim = 2 : tensor<2x4x2xf32>, tensor<2x4x2xf32> -> tensor<2x4x4xf32>
  return %c : tensor<2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @batch_norm_eval(
func.func @batch_norm_eval(%x: tensor<2x3x4xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4xf32> {
  // Per-channel operands are indexed by dim 1.
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
  // CHECK: arith.subf
  // CHECK: math.sqrt
  // CHECK: arith.divf
  %y = nn.batch_norm %x running(%m, %v) {eps = 1.0e-5 : f64} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// Parameters stay: nn.get is lowered by nncc-state-to-args, not here.
// CHECK-LABEL: nn.parameter @w : tensor<3x4xf32>
// CHECK-LABEL: func.func @state(
nn.parameter @w : tensor<3x4xf32>
func.func @state(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[W:.*]] = nn.get @w : tensor<3x4xf32>
  // CHECK: linalg.matmul_transpose_b ins(%{{.*}}, %[[W]] :
  // CHECK-NOT: nn.linear
  %w = nn.get @w : tensor<3x4xf32>
  %y = nn.linear %x, %w : tensor<2x4xf32>, tensor<3x4xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
