// The backward-only ops of convolution, pooling and embedding parse, print in their custom form and parse again, also from the generic form; their verifiers check the forward's shape rule against the gradient.
// RUN: nncc-opt %s -split-input-file -verify-diagnostics | nncc-opt -split-input-file | FileCheck %s
// RUN: nncc-opt %s -split-input-file -verify-diagnostics -mlir-print-op-generic | nncc-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @grad_ops(
// CHECK-SAME: %[[X:.*]]: tensor<1x4x8x8xf32>, %[[DY:.*]]: tensor<1x6x4x4xf32>, %[[P:.*]]: tensor<1x4x4x4xf32>, %[[IDS:.*]]: tensor<2x3xi64>, %[[E:.*]]: tensor<2x3x5xf32>)
func.func @grad_ops(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x6x4x4xf32>, %p: tensor<1x4x4x4xf32>,
                    %ids: tensor<2x3xi64>, %e: tensor<2x3x5xf32>)
    -> (tensor<6x2x3x3xf32>, tensor<1x4x5x6xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>,
        tensor<1x4x9x7xf32>, tensor<10x5xf32>) {
  // CHECK: nn.conv2d_weight_grad %[[X]], %[[DY]] {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<1x4x8x8xf32>, tensor<1x6x4x4xf32> -> tensor<6x2x3x3xf32>
  %dw = nn.conv2d_weight_grad %x, %dy {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                                       dilation = array<i64: 1, 1>, groups = 2 : i64}
      : tensor<1x4x8x8xf32>, tensor<1x6x4x4xf32> -> tensor<6x2x3x3xf32>
  // CHECK: nn.pad_grad %[[X]] {mode = "reflect", pads = array<i64: 1, 1, 2, 1>} : tensor<1x4x8x8xf32> -> tensor<1x4x5x6xf32>
  %dpad = nn.pad_grad %x {mode = "reflect", pads = array<i64: 1, 1, 2, 1>} : tensor<1x4x8x8xf32> -> tensor<1x4x5x6xf32>
  // CHECK: nn.max_pool2d_grad %[[X]], %[[P]] {ceil_mode = false, dilation = array<i64: 1, 1>, kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32> -> tensor<1x4x8x8xf32>
  %dmax = nn.max_pool2d_grad %x, %p {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                                     dilation = array<i64: 1, 1>, ceil_mode = false}
      : tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32> -> tensor<1x4x8x8xf32>
  // CHECK: nn.avg_pool2d_grad %[[P]] {ceil_mode = true, count_include_pad = false, divisor_override = 2 : i64, kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<1x4x4x4xf32> -> tensor<1x4x8x8xf32>
  %davg = nn.avg_pool2d_grad %p {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                                 ceil_mode = true, count_include_pad = false, divisor_override = 2 : i64}
      : tensor<1x4x4x4xf32> -> tensor<1x4x8x8xf32>
  // CHECK: nn.adaptive_avg_pool2d_grad %[[P]] : tensor<1x4x4x4xf32> -> tensor<1x4x9x7xf32>
  %dadaptive = nn.adaptive_avg_pool2d_grad %p : tensor<1x4x4x4xf32> -> tensor<1x4x9x7xf32>
  // CHECK: nn.embedding_grad %[[IDS]], %[[E]] {padding_idx = 0 : i64} : tensor<2x3xi64>, tensor<2x3x5xf32> -> tensor<10x5xf32>
  %demb = nn.embedding_grad %ids, %e {padding_idx = 0 : i64} : tensor<2x3xi64>, tensor<2x3x5xf32> -> tensor<10x5xf32>
  return %dw, %dpad, %dmax, %davg, %dadaptive, %demb
      : tensor<6x2x3x3xf32>, tensor<1x4x5x6xf32>, tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x4x9x7xf32>,
        tensor<10x5xf32>
}

// -----

// CHECK-LABEL: func.func @optional_attrs(
func.func @optional_attrs(%dy: tensor<1x1x2x2xf32>, %ids: tensor<4xi64>, %e: tensor<4x3xf32>)
    -> (tensor<1x1x4x4xf32>, tensor<6x3xf32>, tensor<1x1x3x2xf32>) {
  // CHECK: nn.avg_pool2d_grad %{{.*}} {ceil_mode = false, count_include_pad = true, kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<1x1x2x2xf32> -> tensor<1x1x4x4xf32>
  %davg = nn.avg_pool2d_grad %dy {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                                  ceil_mode = false, count_include_pad = true}
      : tensor<1x1x2x2xf32> -> tensor<1x1x4x4xf32>
  // CHECK: nn.embedding_grad %{{.*}}, %{{.*}} : tensor<4xi64>, tensor<4x3xf32> -> tensor<6x3xf32>
  %demb = nn.embedding_grad %ids, %e : tensor<4xi64>, tensor<4x3xf32> -> tensor<6x3xf32>
  // Constant mode is allowed too: the middle of the gradient.
  // CHECK: nn.pad_grad %{{.*}} {mode = "constant", pads = array<i64: 0, 0, 1, 0>} : tensor<1x1x2x2xf32> -> tensor<1x1x1x2xf32>
  %dpad = nn.pad_grad %dy {mode = "constant", pads = array<i64: 0, 0, 1, 0>} : tensor<1x1x2x2xf32> -> tensor<1x1x1x2xf32>
  %dpad2 = nn.pad_grad %dy {mode = "circular", pads = array<i64: 0, 0, 0, 0>} : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
  %c = nn.concat %dpad, %dpad2 along dim = 2 : tensor<1x1x1x2xf32>, tensor<1x1x2x2xf32> -> tensor<1x1x3x2xf32>
  return %davg, %demb, %c : tensor<1x1x4x4xf32>, tensor<6x3xf32>, tensor<1x1x3x2xf32>
}

// -----

func.func @conv_weight_grad_pairs(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x6x4x4xf32>) -> tensor<6x2x3x3xf32> {
  // expected-error @+1 {{'nn.conv2d_weight_grad' op stride, padding, dilation and kernel take two values (height, width)}}
  %dw = nn.conv2d_weight_grad %x, %dy {stride = array<i64: 2>, padding = array<i64: 1, 1>,
                                       dilation = array<i64: 1, 1>, groups = 2 : i64}
      : tensor<1x4x8x8xf32>, tensor<1x6x4x4xf32> -> tensor<6x2x3x3xf32>
  return %dw : tensor<6x2x3x3xf32>
}

// -----

func.func @conv_weight_grad_channels(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x6x4x4xf32>) -> tensor<6x2x3x3xf32> {
  // expected-error @+1 {{'nn.conv2d_weight_grad' op Given groups=1, weight of size [6, 2, 3, 3], expected input[1, 4, 8, 8] to have 2 channels, but got 4 channels instead}}
  %dw = nn.conv2d_weight_grad %x, %dy {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                                       dilation = array<i64: 1, 1>, groups = 1 : i64}
      : tensor<1x4x8x8xf32>, tensor<1x6x4x4xf32> -> tensor<6x2x3x3xf32>
  return %dw : tensor<6x2x3x3xf32>
}

// -----

func.func @conv_weight_grad_grad_shape(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x6x3x3xf32>) -> tensor<6x2x3x3xf32> {
  // expected-error @+1 {{'nn.conv2d_weight_grad' op grad [1, 6, 3, 3] does not match the forward's result [1, 6, 4, 4]}}
  %dw = nn.conv2d_weight_grad %x, %dy {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                                       dilation = array<i64: 1, 1>, groups = 2 : i64}
      : tensor<1x4x8x8xf32>, tensor<1x6x3x3xf32> -> tensor<6x2x3x3xf32>
  return %dw : tensor<6x2x3x3xf32>
}

// -----

func.func @pad_grad_pads(%dy: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'nn.pad_grad' op pads takes [left, right, top, bottom]}}
  %dx = nn.pad_grad %dy {mode = "reflect", pads = array<i64: 1, 1>} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return %dx : tensor<1x1x2x2xf32>
}

// -----

func.func @pad_grad_reflect_too_far(%dy: tensor<1x1x6x6xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'nn.pad_grad' op Padding size should be less than the corresponding input dimension, but got: padding (2, 2) at dimension 3 of input [1, 1, 2, 2]}}
  %dx = nn.pad_grad %dy {mode = "reflect", pads = array<i64: 2, 2, 2, 2>} : tensor<1x1x6x6xf32> -> tensor<1x1x2x2xf32>
  return %dx : tensor<1x1x2x2xf32>
}

// -----

func.func @pad_grad_mode(%dy: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'nn.pad_grad' op Unrecognised padding mode wrap}}
  %dx = nn.pad_grad %dy {mode = "wrap", pads = array<i64: 1, 1, 1, 1>} : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  return %dx : tensor<1x1x2x2xf32>
}

// -----

func.func @pad_grad_grad_shape(%dy: tensor<1x1x4x5xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'nn.pad_grad' op grad [1, 1, 4, 5] does not match the forward's result [1, 1, 4, 4]}}
  %dx = nn.pad_grad %dy {mode = "replicate", pads = array<i64: 1, 1, 1, 1>} : tensor<1x1x4x5xf32> -> tensor<1x1x2x2xf32>
  return %dx : tensor<1x1x2x2xf32>
}

// -----

func.func @max_pool_grad_pairs(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x4x4x4xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'nn.max_pool2d_grad' op stride, padding, dilation and kernel take two values (height, width)}}
  %dx = nn.max_pool2d_grad %x, %dy {kernel = array<i64: 3, 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                                    dilation = array<i64: 1, 1>, ceil_mode = false}
      : tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32> -> tensor<1x4x8x8xf32>
  return %dx : tensor<1x4x8x8xf32>
}

// -----

func.func @max_pool_grad_padding(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x4x4x4xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'nn.max_pool2d_grad' op pad should be at most half of kernel size, but got pad=2 and kernel_size=3}}
  %dx = nn.max_pool2d_grad %x, %dy {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 2, 1>,
                                    dilation = array<i64: 1, 1>, ceil_mode = false}
      : tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32> -> tensor<1x4x8x8xf32>
  return %dx : tensor<1x4x8x8xf32>
}

// -----

func.func @max_pool_grad_grad_shape(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x4x4x4xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'nn.max_pool2d_grad' op grad [1, 4, 4, 4] does not match the forward's result [1, 4, 3, 3]}}
  %dx = nn.max_pool2d_grad %x, %dy {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                                    dilation = array<i64: 1, 1>, ceil_mode = false}
      : tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32> -> tensor<1x4x8x8xf32>
  return %dx : tensor<1x4x8x8xf32>
}

// -----

func.func @max_pool_grad_result(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x4x4x4xf32>) -> tensor<1x4x8x7xf32> {
  // expected-error @+1 {{'nn.max_pool2d_grad' op result shape [1, 4, 8, 7] does not match the expected [1, 4, 8, 8]}}
  %dx = nn.max_pool2d_grad %x, %dy {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>,
                                    dilation = array<i64: 1, 1>, ceil_mode = false}
      : tensor<1x4x8x8xf32>, tensor<1x4x4x4xf32> -> tensor<1x4x8x7xf32>
  return %dx : tensor<1x4x8x7xf32>
}

// -----

func.func @avg_pool_grad_divisor(%dy: tensor<1x4x4x4xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'nn.avg_pool2d_grad' op divisor must be not zero}}
  %dx = nn.avg_pool2d_grad %dy {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                                ceil_mode = false, count_include_pad = true, divisor_override = 0 : i64}
      : tensor<1x4x4x4xf32> -> tensor<1x4x8x8xf32>
  return %dx : tensor<1x4x8x8xf32>
}

// -----

func.func @avg_pool_grad_grad_shape(%dy: tensor<1x4x4x4xf32>) -> tensor<1x4x9x9xf32> {
  // expected-error @+1 {{'nn.avg_pool2d_grad' op grad [1, 4, 4, 4] does not match the forward's result [1, 4, 5, 5]}}
  %dx = nn.avg_pool2d_grad %dy {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>,
                                ceil_mode = true, count_include_pad = true}
      : tensor<1x4x4x4xf32> -> tensor<1x4x9x9xf32>
  return %dx : tensor<1x4x9x9xf32>
}

// -----

func.func @adaptive_avg_pool_grad_channels(%dy: tensor<1x4x2x2xf32>) -> tensor<1x3x8x8xf32> {
  // expected-error @+1 {{'nn.adaptive_avg_pool2d_grad' op maps a grad [N, C, outH, outW] to [N, C, H, W], got [1, 4, 2, 2] -> [1, 3, 8, 8]}}
  %dx = nn.adaptive_avg_pool2d_grad %dy : tensor<1x4x2x2xf32> -> tensor<1x3x8x8xf32>
  return %dx : tensor<1x3x8x8xf32>
}

// -----

func.func @embedding_grad_padding_idx(%ids: tensor<4xi64>, %dy: tensor<4x3xf32>) -> tensor<6x3xf32> {
  // expected-error @+1 {{'nn.embedding_grad' op padding_idx 6 must be in [0, 6)}}
  %dw = nn.embedding_grad %ids, %dy {padding_idx = 6 : i64} : tensor<4xi64>, tensor<4x3xf32> -> tensor<6x3xf32>
  return %dw : tensor<6x3xf32>
}

// -----

func.func @embedding_grad_grad_shape(%ids: tensor<4xi64>, %dy: tensor<4x2xf32>) -> tensor<6x3xf32> {
  // expected-error @+1 {{'nn.embedding_grad' op grad [4, 2] does not match the forward's result [4, 3]}}
  %dw = nn.embedding_grad %ids, %dy : tensor<4xi64>, tensor<4x2xf32> -> tensor<6x3xf32>
  return %dw : tensor<6x3xf32>
}

// -----

func.func @embedding_grad_weight_rank(%ids: tensor<4xi64>, %dy: tensor<4x3xf32>) -> tensor<6x3x1xf32> {
  // expected-error @+1 {{'nn.embedding_grad' op 'weight' must be 2-D, got [6, 3, 1]}}
  %dw = nn.embedding_grad %ids, %dy : tensor<4xi64>, tensor<4x3xf32> -> tensor<6x3x1xf32>
  return %dw : tensor<6x3x1xf32>
}
