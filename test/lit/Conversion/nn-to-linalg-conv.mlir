// nncc-convert-nn-to-linalg of convolution, padding and pooling: linalg's named conv and pooling ops over tensor.pad, generics for transposed convs, padding modes and variable windows, and module-path locations carried over.
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg -mlir-print-local-scope | FileCheck %s
// RUN: nncc-opt %s -split-input-file --nncc-convert-nn-to-linalg -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// groups = 1: zero padding by tensor.pad, the bias broadcast as the accumulator, conv_2d_nchw_fchw.
// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %[[X:.*]]: tensor<1x3x5x5xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>)
// LOC-LABEL: func.func @conv(
func.func @conv(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x3x3xf32> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: tensor.yield %[[ZERO]] : f32
  // CHECK: } : tensor<1x3x5x5xf32> to tensor<1x3x7x7xf32>
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1x4x3x3xf32>
  // CHECK: %[[ACC:.*]] = linalg.broadcast ins(%[[B]] : tensor<4xf32>) outs(%[[EMPTY]] : tensor<1x4x3x3xf32>) dimensions = [0, 2, 3]
  // CHECK: %[[Y:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[W]] : tensor<1x3x7x7xf32>, tensor<4x3x3x3xf32>) outs(%[[ACC]] : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  // CHECK: return %[[Y]]
  // LOC: } : tensor<1x3x5x5xf32> to tensor<1x3x7x7xf32> loc("features.0")
  // LOC: linalg.broadcast {{.*}} loc("features.0")
  // LOC: linalg.conv_2d_nchw_fchw {{.*}} loc("features.0")
  %y = nn.conv2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x3x5x5xf32>, tensor<4x3x3x3xf32>, tensor<4xf32> -> tensor<1x4x3x3xf32> loc("features.0")
  return %y : tensor<1x4x3x3xf32>
}

// -----

// Without a bias the accumulator is zeros; one group per channel is depthwise_conv_2d_nchw_chw.
// CHECK-LABEL: func.func @depthwise(
// CHECK-SAME: %[[X:.*]]: tensor<1x4x5x7xf32>, %[[W:.*]]: tensor<4x1x3x3xf32>)
func.func @depthwise(%x: tensor<1x4x5x7xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x2x3xf32> {
  // CHECK-NOT: tensor.pad
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x4x2x3xf32>)
  // CHECK: %[[K:.*]] = tensor.collapse_shape %[[W]] {{\[\[}}0, 1], [2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
  // CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[X]], %[[K]] : tensor<1x4x5x7xf32>, tensor<4x3x3xf32>) outs(%[[ACC]] : tensor<1x4x2x3xf32>)
  %y = nn.conv2d %x, %w {stride = array<i64: 2, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 2>, groups = 4 : i64}
      : tensor<1x4x5x7xf32>, tensor<4x1x3x3xf32> -> tensor<1x4x2x3xf32>
  return %y : tensor<1x4x2x3xf32>
}

// -----

// Other groups: input, weight and accumulator split into [.., G, C/G, ..], conv_2d_ngchw_gfchw, merged back.
// CHECK-LABEL: func.func @groups(
// CHECK-SAME: %[[X:.*]]: tensor<2x4x5x5xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>, %[[B:.*]]: tensor<6xf32>)
func.func @groups(%x: tensor<2x4x5x5xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<2x6x5x5xf32> {
  // CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: %[[ACC:.*]] = linalg.broadcast ins(%[[B]] : tensor<6xf32>)
  // CHECK: %[[X5:.*]] = tensor.expand_shape %[[PAD]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 2, 7, 7] : tensor<2x4x7x7xf32> into tensor<2x2x2x7x7xf32>
  // CHECK: %[[W5:.*]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3] : tensor<6x2x3x3xf32> into tensor<2x3x2x3x3xf32>
  // CHECK: %[[A5:.*]] = tensor.expand_shape %[[ACC]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 3, 5, 5] : tensor<2x6x5x5xf32> into tensor<2x2x3x5x5xf32>
  // CHECK: %[[Y5:.*]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[X5]], %[[W5]] : tensor<2x2x2x7x7xf32>, tensor<2x3x2x3x3xf32>) outs(%[[A5]] : tensor<2x2x3x5x5xf32>)
  // CHECK: %[[Y:.*]] = tensor.collapse_shape %[[Y5]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<2x2x3x5x5xf32> into tensor<2x6x5x5xf32>
  // CHECK: return %[[Y]]
  %y = nn.conv2d %x, %w, %b {stride = array<i64: 1, 1>, padding = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 2 : i64}
      : tensor<2x4x5x5xf32>, tensor<6x2x3x3xf32>, tensor<6xf32> -> tensor<2x6x5x5xf32>
  return %y : tensor<2x6x5x5xf32>
}

// -----

// Transposed: the input spread by the stride into zeros (with dilation * (k - 1) - padding around it and
// output_padding below), the kernel flipped with its channel axes swapped, then a stride-1 conv.
// CHECK-LABEL: func.func @conv_transpose(
// CHECK-SAME: %[[X:.*]]: tensor<1x4x3x3xf32>, %[[W:.*]]: tensor<4x2x3x3xf32>, %[[B:.*]]: tensor<2xf32>)
// LOC-LABEL: func.func @conv_transpose(
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x6x6xf32> {
  // CHECK: %[[ZEROS:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x4x8x8xf32>)
  // CHECK: %[[SPREAD:.*]] = tensor.insert_slice %[[X]] into %[[ZEROS]][0, 0, 1, 1] [1, 4, 3, 3] [1, 1, 2, 2] : tensor<1x4x3x3xf32> into tensor<1x4x8x8xf32>
  // CHECK: %[[W5:.*]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [1, 4, 2, 3, 3]
  // CHECK: %[[FLIP:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, -d3 + 2, -d4 + 2)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[W5]] : tensor<1x4x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x4x3x3xf32>)
  // CHECK: %[[K:.*]] = tensor.collapse_shape %[[FLIP]] {{\[\[}}0, 1], [2], [3], [4]] : tensor<1x2x4x3x3xf32> into tensor<2x4x3x3xf32>
  // CHECK: %[[ACC:.*]] = linalg.broadcast ins(%[[B]] : tensor<2xf32>) outs(%{{.*}} : tensor<1x2x6x6xf32>) dimensions = [0, 2, 3]
  // CHECK: %[[Y:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[SPREAD]], %[[K]] : tensor<1x4x8x8xf32>, tensor<2x4x3x3xf32>) outs(%[[ACC]] : tensor<1x2x6x6xf32>)
  // CHECK: return %[[Y]]
  // LOC: tensor.insert_slice {{.*}} loc("decoder.up")
  // LOC: } -> tensor<1x2x4x3x3xf32> loc("decoder.up")
  // LOC: linalg.conv_2d_nchw_fchw {{.*}} loc("decoder.up")
  %y = nn.conv_transpose2d %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, output_padding = array<i64: 1, 1>,
                                       dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>, tensor<2xf32> -> tensor<1x2x6x6xf32> loc("decoder.up")
  return %y : tensor<1x2x6x6xf32>
}

// -----

// A padding beyond dilation * (kernel - 1) crops the stride-1 conv's result.
// CHECK-LABEL: func.func @conv_transpose_crop(
func.func @conv_transpose_crop(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  // CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0, 0] [1, 4, 5, 5] [1, 1, 2, 2] : tensor<1x4x5x5xf32> into tensor<1x4x9x9xf32>
  // CHECK: %[[FULL:.*]] = linalg.conv_2d_nchw_fchw {{.*}} -> tensor<1x2x7x7xf32>
  // CHECK: %[[Y:.*]] = tensor.extract_slice %[[FULL]][0, 0, 1, 1] [1, 2, 5, 5] [1, 1, 1, 1] : tensor<1x2x7x7xf32> to tensor<1x2x5x5xf32>
  // CHECK: return %[[Y]]
  %y = nn.conv_transpose2d %x, %w {stride = array<i64: 2, 2>, padding = array<i64: 3, 3>, output_padding = array<i64: 0, 0>,
                                   dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32> -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}

// -----

// constant is tensor.pad with the value; reflect, replicate and circular read a computed source index.
// CHECK-LABEL: func.func @pad(
// CHECK-SAME: %[[X:.*]]: tensor<1x2x4x5xf32>)
func.func @pad(%x: tensor<1x2x4x5xf32>) -> (tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>) {
  // CHECK: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
  // CHECK: tensor.pad %[[X]] low[0, 0, 0, 1] high[0, 0, 1, 2]
  // CHECK: tensor.yield %[[HALF]] : f32
  %c = nn.pad %x {mode = "constant", pads = array<i64: 1, 2, 0, 1>, value = 0.5 : f64} : tensor<1x2x4x5xf32> -> tensor<1x2x5x8xf32>
  // CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x5x8xf32>)
  // CHECK: arith.cmpi slt
  // CHECK: arith.select
  // CHECK: arith.cmpi sgt
  // CHECK: tensor.extract %[[X]]
  %r = nn.pad %x {mode = "reflect", pads = array<i64: 1, 2, 0, 1>, value = 0.0 : f64} : tensor<1x2x4x5xf32> -> tensor<1x2x5x8xf32>
  // CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x5x8xf32>)
  // CHECK: arith.maxsi
  // CHECK: arith.minsi
  // CHECK: tensor.extract %[[X]]
  %p = nn.pad %x {mode = "replicate", pads = array<i64: 1, 2, 0, 1>, value = 0.0 : f64} : tensor<1x2x4x5xf32> -> tensor<1x2x5x8xf32>
  // CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x5x8xf32>)
  // CHECK: arith.remsi
  // CHECK: tensor.extract %[[X]]
  %o = nn.pad %x {mode = "circular", pads = array<i64: 1, 2, 0, 1>, value = 0.0 : f64} : tensor<1x2x4x5xf32> -> tensor<1x2x5x8xf32>
  return %c, %r, %p, %o : tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x8xf32>
}

// -----

// Max pooling pads with -inf (and in ceil mode enough below/right for the last window), then pooling_nchw_max.
// CHECK-LABEL: func.func @max_pool(
// CHECK-SAME: %[[X:.*]]: tensor<1x2x8x8xf32>)
func.func @max_pool(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // CHECK: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
  // CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 0, 1, 1]
  // CHECK: tensor.yield %[[NEG_INF]] : f32
  // CHECK: } : tensor<1x2x8x8xf32> to tensor<1x2x9x9xf32>
  // CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<3x3xf32>
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x4x4xf32>)
  // CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[WINDOW]] : tensor<1x2x9x9xf32>, tensor<3x3xf32>) outs(%[[ACC]] : tensor<1x2x4x4xf32>)
  %y = nn.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                         dilation = array<i64: 1, 1>, ceil_mode = true} : tensor<1x2x8x8xf32> -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Average pooling: pooling_nchw_sum over zero padding, divided by each window's count (here without the padding).
// CHECK-LABEL: func.func @avg_pool(
// CHECK-SAME: %[[X:.*]]: tensor<1x2x7x7xf32>)
func.func @avg_pool(%x: tensor<1x2x7x7xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>) {
  // CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %{{.*}} : tensor<1x2x9x9xf32>, tensor<3x3xf32>)
  // CHECK: %[[DIV:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 9.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<4x4xf32>
  // CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[SUM]], %[[DIV]] : tensor<1x2x4x4xf32>, tensor<4x4xf32>)
  // CHECK: arith.divf
  %a = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                         ceil_mode = false, count_include_pad = false} : tensor<1x2x7x7xf32> -> tensor<1x2x4x4xf32>
  // divisor_override: one divisor for every window.
  // CHECK: %[[SUM2:.*]] = linalg.pooling_nchw_sum {{.*}} ins(%[[X]], %{{.*}} : tensor<1x2x7x7xf32>, tensor<2x2xf32>)
  // CHECK: linalg.generic {{.*}} ins(%[[SUM2]] : tensor<1x2x3x3xf32>)
  // CHECK: %[[FIVE:.*]] = arith.constant 5.000000e+00 : f32
  // CHECK: arith.divf %{{.*}}, %[[FIVE]] : f32
  %d = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                         ceil_mode = false, count_include_pad = true, divisor_override = 5 : i64} : tensor<1x2x7x7xf32> -> tensor<1x2x3x3xf32>
  return %a, %d : tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>
}

// -----

// Adaptive pooling: equal windows are a strided pooling_nchw_sum; unequal windows (7 -> 3 rows: [0, 3), [2, 5),
// [4, 7); 5 -> 3 columns: [0, 2), [1, 4), [3, 5)) are a generic over the largest window that reads only inside.
// CHECK-LABEL: func.func @adaptive(
// CHECK-SAME: %[[X:.*]]: tensor<1x2x6x4xf32>, %[[Z:.*]]: tensor<1x2x7x5xf32>)
// LOC-LABEL: func.func @adaptive(
func.func @adaptive(%x: tensor<1x2x6x4xf32>, %z: tensor<1x2x7x5xf32>) -> (tensor<1x2x3x1xf32>, tensor<1x2x3x3xf32>) {
  // CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 4]> : tensor<2xi64>} ins(%[[X]], %{{.*}} : tensor<1x2x6x4xf32>, tensor<2x4xf32>)
  // CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x2x3x1xf32>)
  // CHECK: %[[EIGHT:.*]] = arith.constant 8.000000e+00 : f32
  // CHECK: arith.divf %{{.*}}, %[[EIGHT]] : f32
  %g = nn.adaptive_avg_pool2d %x : tensor<1x2x6x4xf32> -> tensor<1x2x3x1xf32>
  // CHECK: %[[WINDOW:.*]] = tensor.empty() : tensor<3x3xf32>
  // CHECK: %[[VSUM:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[WINDOW]] : tensor<3x3xf32>)
  // CHECK: arith.divui
  // CHECK: arith.cmpi ult
  // CHECK: tensor.extract %[[Z]]
  // CHECK: arith.select
  // CHECK: arith.addf
  // CHECK: %[[COUNTS:.*]] = arith.constant dense<{{\[\[}}6.000000e+00, 9.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00]]> : tensor<3x3xf32>
  // CHECK: linalg.generic {{.*}} ins(%[[VSUM]], %[[COUNTS]] : tensor<1x2x3x3xf32>, tensor<3x3xf32>)
  // CHECK: arith.divf
  // LOC: tensor.extract {{.*}} loc("head.pool")
  // LOC: } -> tensor<1x2x3x3xf32> loc("head.pool")
  // LOC: arith.divf {{.*}} loc("head.pool")
  %v = nn.adaptive_avg_pool2d %z : tensor<1x2x7x5xf32> -> tensor<1x2x3x3xf32> loc("head.pool")
  return %g, %v : tensor<1x2x3x1xf32>, tensor<1x2x3x3xf32>
}
