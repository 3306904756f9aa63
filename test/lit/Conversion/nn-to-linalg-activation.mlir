// nncc-convert-nn-to-linalg on the activations (math-dialect bodies), softmax/log_softmax (max-subtracted reductions) and the norms; then fusion, which merges elementwise chains and keeps every module path.
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg | FileCheck %s
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg --nncc-fuse-elementwise -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=FUSED

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%arg0 : tensor<2x4xf32>)
  // CHECK: arith.negf
  // CHECK-NEXT: math.exp
  // CHECK: arith.addf
  // CHECK-NEXT: arith.divf
  %s = nn.sigmoid %x : tensor<2x4xf32>
  // CHECK: linalg.generic
  // CHECK: math.tanh %{{.*}} : f32
  %t = nn.tanh %x : tensor<2x4xf32>
  // CHECK: linalg.generic
  // CHECK: math.exp
  // CHECK: arith.divf
  // CHECK-NEXT: arith.mulf %{{.*}}, %{{.*}} : f32
  %si = nn.silu %x : tensor<2x4xf32>
  // CHECK: linalg.generic
  // CHECK: %[[THREE:.*]] = arith.constant 3.000000e+00 : f32
  // CHECK: arith.addf %{{.*}}, %[[THREE]]
  // CHECK: arith.maximumf
  // CHECK: arith.minimumf
  // CHECK: arith.mulf
  // CHECK: arith.divf
  %h = nn.hardswish %x : tensor<2x4xf32>
  return %s, %t, %si, %h : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @leaky_relu
func.func @leaky_relu(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // CHECK: linalg.generic
  // CHECK: %[[SLOPE:.*]] = arith.constant 2.000000e-01 : f32
  // CHECK: %[[SCALED:.*]] = arith.mulf %[[IN:.*]], %[[SLOPE]]
  // CHECK: %[[POS:.*]] = arith.cmpf ogt, %[[IN]]
  // CHECK: arith.select %[[POS]], %[[IN]], %[[SCALED]]
  %y = nn.leaky_relu %x {negative_slope = 0.2 : f64} : tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @gelu
func.func @gelu(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  // Exact: x * 0.5 * (1 + erf(x / sqrt(2))).
  // CHECK: linalg.generic
  // CHECK: arith.constant 0.707106769 : f32
  // CHECK: math.erf
  // CHECK-NOT: math.tanh
  // CHECK: linalg.yield
  %e = nn.gelu %x {approximate = "none"} : tensor<2x4xf32>
  // Tanh: x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))).
  // CHECK: linalg.generic
  // CHECK: arith.constant 4.471500e-02 : f32
  // CHECK: arith.constant 0.797884583 : f32
  // CHECK: math.tanh
  // CHECK-NOT: math.erf
  // CHECK: linalg.yield
  %t = nn.gelu %x {approximate = "tanh"} : tensor<2x4xf32>
  return %e, %t : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  // The maximum along dim 1, from -inf.
  // CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
  // CHECK: %[[MAXINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<3x5xf32>)
  // CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ALL]], #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0 : tensor<3x4x5xf32>) outs(%[[MAXINIT]] : tensor<3x5xf32>)
  // CHECK: arith.maximumf
  // The sum of exp(x - max).
  // CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ALL]], #[[KEPT]], #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0, %[[MAX]] : tensor<3x4x5xf32>, tensor<3x5xf32>)
  // CHECK: arith.subf
  // CHECK-NEXT: math.exp
  // CHECK-NEXT: arith.addf
  // exp(x - max) / sum.
  // CHECK: linalg.generic {indexing_maps = [#[[ALL]], #[[KEPT]], #[[KEPT]], #[[ALL]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %[[MAX]], %[[SUM]] : tensor<3x4x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>)
  // CHECK: arith.subf
  // CHECK-NEXT: math.exp
  // CHECK-NEXT: arith.divf
  %y = nn.softmax %x, dim = 1 : tensor<3x4x5xf32>
  return %y : tensor<3x4x5xf32>
}

// -----

// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROWS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @log_softmax_negative_dim
func.func @log_softmax_negative_dim(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // dim = -1 reduces the last dim.
  // CHECK: linalg.generic {indexing_maps = [#[[ALL]], #[[ROWS]]], iterator_types = ["parallel", "reduction"]}
  // CHECK: arith.maximumf
  // CHECK: linalg.generic {indexing_maps = [#[[ALL]], #[[ROWS]], #[[ROWS]]], iterator_types = ["parallel", "reduction"]}
  // CHECK: math.exp
  // (x - max) - log(sum).
  // CHECK: linalg.generic {indexing_maps = [#[[ALL]], #[[ROWS]], #[[ROWS]], #[[ALL]]], iterator_types = ["parallel", "parallel"]}
  // CHECK: %[[SHIFTED:.*]] = arith.subf
  // CHECK-NEXT: %[[LOG:.*]] = math.log
  // CHECK-NEXT: arith.subf %[[SHIFTED]], %[[LOG]]
  %y = nn.log_softmax %x, dim = -1 : tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[BATCH:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[TRAILING:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @layer_norm
func.func @layer_norm(%x: tensor<2x3x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
  // Mean over the last two dims (12 elements).
  // CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ALL]], #[[BATCH]]], iterator_types = ["parallel", "reduction", "reduction"]}
  // CHECK: %[[MEAN:.*]] = linalg.generic
  // CHECK: arith.constant 1.200000e+01 : f32
  // CHECK: arith.divf
  // Biased variance: the sum of squared deviations over 12.
  // CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ALL]], #[[BATCH]], #[[BATCH]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%arg0, %[[MEAN]]
  // CHECK: arith.subf
  // CHECK-NEXT: arith.mulf
  // CHECK-NEXT: arith.addf
  // CHECK: %[[VAR:.*]] = linalg.generic {{.*}} ins(%[[SQ]]
  // CHECK: arith.divf
  // (x - mean) / sqrt(var + eps) * weight + bias.
  // CHECK: linalg.generic {indexing_maps = [#[[ALL]], #[[BATCH]], #[[BATCH]], #[[TRAILING]], #[[TRAILING]], #[[ALL]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %[[MEAN]], %[[VAR]], %arg1, %arg2
  // CHECK: arith.constant 1.000000e-03 : f32
  // CHECK: math.sqrt
  // CHECK: arith.subf
  // CHECK-NEXT: arith.divf
  // CHECK-NEXT: arith.mulf
  // CHECK-NEXT: arith.addf
  %y = nn.layer_norm %x affine(%w, %b) {eps = 1.0e-3 : f64, normalized_ndim = 2 : i64} : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @layer_norm_plain
func.func @layer_norm_plain(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // Without weight and bias the normalized value is the result.
  // CHECK: math.sqrt
  // CHECK: arith.subf
  // CHECK-NEXT: arith.divf
  // CHECK-NEXT: linalg.yield
  %y = nn.layer_norm %x {eps = 1.0e-5 : f64, normalized_ndim = 1 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// CHECK-DAG: #[[G4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[NG:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @group_norm
func.func @group_norm(%x: tensor<2x8x3x3xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x8x3x3xf32> {
  // [N, C, H, W] is viewed as [N, G, C/G, H*W]; the statistics reduce the last two dims.
  // CHECK: %[[FLAT:.*]] = tensor.collapse_shape %arg0
  // CHECK: %[[GROUPED:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1, 2, 3]] output_shape [2, 4, 2, 9]
  // CHECK: linalg.generic {indexing_maps = [#[[G4]], #[[NG]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[GROUPED]]
  // CHECK: arith.constant 1.800000e+01 : f32
  // CHECK: linalg.generic {indexing_maps = [#[[G4]], #[[NG]], #[[NG]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[GROUPED]]
  // CHECK: %[[NORM:.*]] = linalg.generic {indexing_maps = [#[[G4]], #[[NG]], #[[NG]], #[[G4]]]
  // CHECK: math.sqrt
  // CHECK: tensor.collapse_shape %[[NORM]]
  // CHECK: %[[BACK:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] output_shape [2, 8, 3, 3]
  // Per-channel weight and bias.
  // CHECK: linalg.generic {indexing_maps = [#[[G4]], #[[CHANNEL]], #[[CHANNEL]], #[[G4]]], {{.*}} ins(%[[BACK]], %arg1, %arg2
  // CHECK: arith.mulf
  // CHECK-NEXT: arith.addf
  %y = nn.group_norm %x affine(%w, %b) {eps = 1.0e-5 : f64, num_groups = 4 : i64} : (tensor<2x8x3x3xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8x3x3xf32>
  return %y : tensor<2x8x3x3xf32>
}

// -----

// Elementwise activations fuse into one loop nest named after both modules; the softmax that
// reads the result three times keeps it materialised, and its generics keep their module path.
// FUSED-LABEL: func.func @chain
func.func @chain(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // FUSED: %[[ACT:.*]] = linalg.generic
  // FUSED: arith.select {{.*}} loc("act1")
  // FUSED: math.tanh {{.*}} loc("act2")
  // FUSED: } -> tensor<2x4xf32> loc(fused["act1", "act2"])
  // FUSED: linalg.generic {{.*}} ins(%[[ACT]] : tensor<2x4xf32>)
  // FUSED: arith.maximumf
  // FUSED: } -> tensor<2xf32> loc("sm")
  // FUSED: linalg.generic {{.*}} ins(%[[ACT]], %{{.*}} : tensor<2x4xf32>, tensor<2xf32>)
  // FUSED: } -> tensor<2xf32> loc("sm")
  // FUSED: linalg.generic {{.*}} ins(%[[ACT]], %{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<2xf32>, tensor<2xf32>)
  // FUSED: } -> tensor<2x4xf32> loc("sm")
  // FUSED-NOT: linalg.generic
  %a = nn.leaky_relu %x {negative_slope = 0.2 : f64} : tensor<2x4xf32> loc("act1")
  %b = nn.gelu %a {approximate = "tanh"} : tensor<2x4xf32> loc("act2")
  %c = nn.softmax %b, dim = -1 : tensor<2x4xf32> loc("sm")
  return %c : tensor<2x4xf32>
}

// -----

// The per-row statistics stay loop nests of their own: the normalizing loop nest reads them
// through a broadcast, and fusing them would recompute them for every element of the row.
// FUSED-LABEL: func.func @layer_norm_fused
func.func @layer_norm_fused(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // FUSED: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0
  // FUSED: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]]
  // FUSED: } -> tensor<2xf32> loc("ln")
  // FUSED: %[[SQ:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0, %[[MEAN]]
  // FUSED: } -> tensor<2xf32> loc("ln")
  // FUSED: %[[VAR:.*]] = linalg.generic {{.*}} ins(%[[SQ]]
  // FUSED: arith.divf
  // FUSED: } -> tensor<2xf32> loc("ln")
  // FUSED: linalg.generic {{.*}} ins(%arg0, %[[MEAN]], %[[VAR]] : tensor<2x4xf32>, tensor<2xf32>, tensor<2xf32>)
  // FUSED: math.sqrt
  // FUSED: arith.divf
  // FUSED: } -> tensor<2x4xf32> loc("ln")
  %y = nn.layer_norm %x {eps = 1.0e-5 : f64, normalized_ndim = 1 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32> loc("ln")
  return %y : tensor<2x4xf32>
}
