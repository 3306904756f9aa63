// nncc-contraction-kernels: each layout of multiply-accumulate becomes its vector kernel (dot along k, or outer product along n), edges get masked kernels, large ops get a parallel loop, and other ops are left alone.
// RUN: nncc-opt %s --nncc-contraction-kernels=vector-bits=256 -canonicalize | FileCheck %s

// Linear's layout: both operands run along k, so vectors go along k and each tile is summed at
// the end; k = 36 leaves a masked tail of 4 lanes. Eight of the 3x3 tile's accumulators are summed
// together by three rounds of shuffles and adds into one register of 8 sums; the ninth alone.
// CHECK-LABEL: func.func @linear(
// CHECK-NOT: linalg.
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>,
// CHECK: vector.load %arg0[%{{.*}}, %{{.*}}] : memref<4x36xf32>, vector<8xf32>
// CHECK: vector.load %arg1[%{{.*}}, %{{.*}}] : memref<8x36xf32>, vector<8xf32>
// CHECK: vector.fma {{.*}} : vector<8xf32>
// CHECK: vector.maskedload %arg0[%{{.*}}, %c32]
// CHECK: vector.shuffle {{.*}} [0, 1, 2, 3, 8, 9, 10, 11] : vector<8xf32>, vector<8xf32>
// CHECK: vector.shuffle {{.*}} [0, 1, 4, 5, 8, 9, 12, 13] : vector<8xf32>, vector<8xf32>
// CHECK: %[[ROUND3:.*]] = vector.shuffle {{.*}} [0, 2, 4, 6, 8, 10, 12, 14] : vector<8xf32>, vector<8xf32>
// CHECK: %[[SUMS:.*]] = arith.addf %[[ROUND3]], %{{.*}} : vector<8xf32>
// CHECK: vector.extract %[[SUMS]][7] : f32 from vector<8xf32>
// CHECK: vector.reduction <add>, {{.*}} fastmath<reassoc> : vector<8xf32> into f32
// CHECK: memref.store {{.*}} : memref<4x8xf32>
func.func @linear(%x: memref<4x36xf32>, %w: memref<8x36xf32>, %y: memref<4x8xf32>) {
  linalg.matmul_transpose_b ins(%x, %w : memref<4x36xf32>, memref<8x36xf32>) outs(%y : memref<4x8xf32>)
  return
}

// matmul: B runs along n, so A's scalars are broadcast against vectors of B; the n = 20 edge
// is a 4-lane masked kernel.
// CHECK-LABEL: func.func @matmul(
// CHECK-NOT: linalg.
// CHECK: vector.load %arg2[{{.*}}] : memref<8x20xf32>, vector<8xf32>
// CHECK: scf.for
// CHECK: vector.load %arg1[{{.*}}] : memref<16x20xf32>, vector<8xf32>
// CHECK: memref.load %arg0[{{.*}}] : memref<8x16xf32>
// CHECK: vector.broadcast {{.*}} : f32 to vector<8xf32>
// CHECK: vector.fma
// CHECK: vector.store {{.*}}, %arg2[{{.*}}] : memref<8x20xf32>, vector<8xf32>
// CHECK: vector.maskedstore %arg2[%{{.*}}, %c16]
func.func @matmul(%a: memref<8x16xf32>, %b: memref<16x20xf32>, %c: memref<8x20xf32>) {
  linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x20xf32>) outs(%c : memref<8x20xf32>)
  return
}

// A stride-2 convolution: vectors along the output width read every other input element, as
// two vector loads (the second without its last lane, past the span) and one shuffle of the
// even lanes.
// CHECK-LABEL: func.func @conv_stride2(
// CHECK-NOT: linalg.
// CHECK: %[[LO:.*]] = vector.load %arg0[{{.*}}] : memref<1x4x17x17xf32>, vector<8xf32>
// CHECK: %[[HI:.*]] = vector.maskedload %arg0[{{.*}}], %{{.*}}, %{{.*}} : memref<1x4x17x17xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
// CHECK: vector.shuffle %[[LO]], %[[HI]] [0, 2, 4, 6, 8, 10, 12, 14] : vector<8xf32>, vector<8xf32>
// CHECK: vector.fma
func.func @conv_stride2(%x: memref<1x4x17x17xf32>, %w: memref<8x4x3x3xf32>, %y: memref<1x8x8x8xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : memref<1x4x17x17xf32>, memref<8x4x3x3xf32>) outs(%y : memref<1x8x8x8xf32>)
  return
}

// 2^18 multiply-accumulates: the outermost tile loop is parallel.
// CHECK-LABEL: func.func @large(
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c64) step (%c16)
func.func @large(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  linalg.matmul ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return
}

// Not out + in0 * in1: left for convert-linalg-to-loops.
// CHECK-LABEL: func.func @not_multiply_accumulate(
// CHECK: linalg.generic
func.func @not_multiply_accumulate(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%c : memref<8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %0 = arith.maximumf %x, %y : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}
