// nncc-convert-nn-to-linalg of the backward-only ops: the conv weight gradient and the embedding gradient as reductions, each window scatter as a gather over a constant table of the windows covering each input position, and module-path locations carried over.
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg -mlir-print-local-scope | FileCheck %s
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// Zero padding, channels split by group, one generic reducing over n, oy, ox, then the groups merged back.
// CHECK-LABEL: func.func @conv_weight_grad(
// LOC-LABEL: func.func @conv_weight_grad(
func.func @conv_weight_grad(%x: tensor<1x4x5x5xf32>, %dy: tensor<1x6x3x3xf32>) -> tensor<6x2x3x3xf32> {
  // CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: tensor.expand_shape {{.*}} : tensor<1x4x7x7xf32> into tensor<1x2x2x7x7xf32>
  // CHECK: tensor.expand_shape {{.*}} : tensor<1x6x3x3xf32> into tensor<1x2x3x3x3xf32>
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d0, d2, d6 * 2 + d3, d7 * 2 + d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d0, d1, d6, d7)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
  // CHECK: arith.mulf
  // CHECK: arith.addf
  // CHECK: tensor.collapse_shape {{.*}} : tensor<2x3x2x3x3xf32> into tensor<6x2x3x3xf32>
  // CHECK-NOT: nn.
  // LOC: } -> tensor<2x3x2x3x3xf32> loc("features.0")
  // LOC: tensor.collapse_shape {{.*}} loc("features.0")
  %dw = nn.conv2d_weight_grad %x, %dy {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                                       dilation = array<i64: 1, 1>, groups = 2 : i64}
      : tensor<1x4x5x5xf32>, tensor<1x6x3x3xf32> -> tensor<6x2x3x3xf32> loc("features.0")
  return %dw : tensor<6x2x3x3xf32>
}

// -----

// The argmax of each window (first maximum, a NaN winning), then a gather over the windows
// covering each position: rows 0..4 are in windows {0}, {0}, {0, 1}, {1}, {1}.
// CHECK-LABEL: func.func @max_pool_grad(
func.func @max_pool_grad(%x: tensor<1x2x5x5xf32>, %dy: tensor<1x2x2x2xf32>) -> tensor<1x2x5x5xf32> {
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.*}} : tensor<3x3xf32>) outs(%{{.*}}, %{{.*}} : tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>)
  // CHECK: arith.cmpf ogt
  // CHECK: arith.cmpf uno
  // CHECK: arith.constant dense<{{\[\[}}0, -1], [0, -1], [0, 1], [1, -1], [1, -1]]> : tensor<5x2xi64>
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<5x2xi64>, tensor<5x2xi64>) outs(%{{.*}} : tensor<1x2x5x5xf32>)
  // CHECK-NOT: nn.
  %dx = nn.max_pool2d_grad %x, %dy {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                                    dilation = array<i64: 1, 1>, ceil_mode = false}
      : tensor<1x2x5x5xf32>, tensor<1x2x2x2xf32> -> tensor<1x2x5x5xf32>
  return %dx : tensor<1x2x5x5xf32>
}

// -----

// Each window's divisor is a constant (here the padding is left out of it).
// CHECK-LABEL: func.func @avg_pool_grad(
func.func @avg_pool_grad(%dy: tensor<1x1x2x2xf32>) -> tensor<1x1x3x3xf32> {
  // CHECK: arith.constant dense<{{\[\[}}4.000000e+00, 2.000000e+00], [2.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
  // CHECK: linalg.generic
  // CHECK: arith.divf
  // CHECK-NOT: nn.
  %dx = nn.avg_pool2d_grad %dy {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                                ceil_mode = true, count_include_pad = false}
      : tensor<1x1x2x2xf32> -> tensor<1x1x3x3xf32>
  return %dx : tensor<1x1x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @adaptive_avg_pool_grad(
// Rows 0..4 into 3 windows: [0, 2), [1, 4), [3, 5), the columns into one; divisors 8, 12, 8.
func.func @adaptive_avg_pool_grad(%dy: tensor<1x2x3x1xf32>) -> tensor<1x2x5x4xf32> {
  // CHECK: arith.constant dense<{{\[\[}}8.000000e+00], [1.200000e+01], [8.000000e+00]]> : tensor<3x1xf32>
  // CHECK: arith.constant dense<{{\[\[}}0, -1], [0, 1], [1, -1], [1, 2], [2, -1]]> : tensor<5x2xi64>
  // CHECK: linalg.generic
  // CHECK-NOT: nn.
  %dx = nn.adaptive_avg_pool2d_grad %dy : tensor<1x2x3x1xf32> -> tensor<1x2x5x4xf32>
  return %dx : tensor<1x2x5x4xf32>
}

// -----

// Reflect on width 3 with pads (2, 1): output columns 0..5 read 2, 1, 0, 1, 2, 1.
// CHECK-LABEL: func.func @pad_grad(
func.func @pad_grad(%dy: tensor<2x4x6xf32>) -> tensor<2x4x3xf32> {
  // CHECK: arith.constant dense<{{\[\[}}0], [1], [2], [3]]> : tensor<4x1xi64>
  // CHECK: arith.constant dense<{{\[\[}}2, -1, -1], [1, 3, 5], [0, 4, -1]]> : tensor<3x3xi64>
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
  // CHECK-NOT: nn.
  %dx = nn.pad_grad %dy {mode = "reflect", pads = array<i64: 2, 1, 0, 0>} : tensor<2x4x6xf32> -> tensor<2x4x3xf32>
  return %dx : tensor<2x4x3xf32>
}

// -----

// The indices flattened, then a generic over [rows, D] reducing over them; the padding row never matches.
// CHECK-LABEL: func.func @embedding_grad(
func.func @embedding_grad(%ids: tensor<2x3xi64>, %dy: tensor<2x3x4xf32>) -> tensor<5x4xf32> {
  // CHECK: tensor.collapse_shape {{.*}} : tensor<2x3xi64> into tensor<6xi64>
  // CHECK: tensor.expand_shape {{.*}} into tensor<6x4xf32>
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<6xi64>, tensor<6x4xf32>) outs(%{{.*}} : tensor<5x4xf32>)
  // CHECK: arith.constant 3 : i64
  // CHECK: arith.cmpi ne
  // CHECK-NOT: nn.
  %dw = nn.embedding_grad %ids, %dy {padding_idx = 3 : i64} : tensor<2x3xi64>, tensor<2x3x4xf32> -> tensor<5x4xf32>
  return %dw : tensor<5x4xf32>
}
