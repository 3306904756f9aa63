// GEMM epilogues: the elementwise op right after a kernel runs on its register tile and is erased (bias + ReLU after a matmul, written in place or to another buffer); an op that is not next, that reads the output through a broadcast, or whose output overlaps an input of the kernel stays; epilogues=false keeps them all.
// RUN: nncc-opt %s --split-input-file --nncc-contraction-kernels=vector-bits=256 | FileCheck %s
// RUN: nncc-opt %s --split-input-file --nncc-contraction-kernels="vector-bits=256 epilogues=false" | FileCheck %s --check-prefix=OFF

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
// Outer product (B runs along n): bias vectors along n, maximumf on the tile, stored once to %d.
// CHECK-LABEL: func.func @matmul_bias_relu(
// CHECK-NOT: linalg.generic
// CHECK: vector.fma
// CHECK: %[[BIAS:.*]] = vector.load %arg3[%{{.*}}] : memref<20xf32>, vector<8xf32>
// CHECK: %[[SUM:.*]] = arith.addf %{{.*}}, %[[BIAS]] : vector<8xf32>
// CHECK: %[[RELU:.*]] = arith.maximumf %[[SUM]], %{{.*}} : vector<8xf32>
// CHECK: vector.store %[[RELU]], %arg4[
// CHECK-NOT: vector.store {{.*}} %arg2[
// OFF-LABEL: func.func @matmul_bias_relu(
// OFF: linalg.generic
func.func @matmul_bias_relu(%a: memref<8x16xf32>, %b: memref<16x20xf32>, %c: memref<8x20xf32>,
                            %bias: memref<20xf32>, %d: memref<8x20xf32>) {
  %arena = memref.alloc() : memref<640xi8>
  %c0 = arith.constant 0 : index
  %acc = memref.view %arena[%c0][] : memref<640xi8> to memref<8x20xf32>
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%acc : memref<8x20xf32>)
  linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x20xf32>) outs(%acc : memref<8x20xf32>)
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%acc, %bias : memref<8x20xf32>, memref<20xf32>) outs(%d : memref<8x20xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
// Dot shape (Linear's layout), in place: the bias is a scalar per output.
// CHECK-LABEL: func.func @linear_bias_inplace(
// CHECK-NOT: linalg.generic
// CHECK: vector.reduction <add>
// CHECK: %[[OLD:.*]] = memref.load %arg2
// CHECK: %[[TOTAL:.*]] = arith.addf %[[OLD]]
// CHECK: %[[B:.*]] = memref.load %arg3[
// CHECK: %[[Y:.*]] = arith.addf %[[TOTAL]], %[[B]] : f32
// CHECK: memref.store %[[Y]], %arg2[
func.func @linear_bias_inplace(%x: memref<4x36xf32>, %w: memref<8x36xf32>, %y: memref<4x8xf32>,
                               %bias: memref<8xf32>) {
  linalg.matmul_transpose_b ins(%x, %w : memref<4x36xf32>, memref<8x36xf32>) outs(%y : memref<4x8xf32>)
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y, %bias : memref<4x8xf32>, memref<8xf32>) outs(%y : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
// The output %d shares arena bytes with the kernel's input %a: writing it during the kernel
// would change what the kernel reads, so the generic stays.
// CHECK-LABEL: func.func @overlap(
// CHECK: linalg.generic
func.func @overlap(%b: memref<16x20xf32>) -> () {
  %arena = memref.alloc() : memref<1280xi8>
  %c0 = arith.constant 0 : index
  %c640 = arith.constant 640 : index
  %a = memref.view %arena[%c0][] : memref<1280xi8> to memref<8x16xf32>
  %acc = memref.view %arena[%c640][] : memref<1280xi8> to memref<8x20xf32>
  %d = memref.view %arena[%c0][] : memref<1280xi8> to memref<8x20xf32>
  linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x20xf32>) outs(%acc : memref<8x20xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%acc : memref<8x20xf32>) outs(%d : memref<8x20xf32>) {
  ^bb0(%x: f32, %out: f32):
    %r = arith.negf %x : f32
    linalg.yield %r : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>
// A consumer that reads the output transposed is not an epilogue.
// CHECK-LABEL: func.func @transposed(
// CHECK: linalg.generic
func.func @transposed(%a: memref<8x16xf32>, %b: memref<16x8xf32>, %c: memref<8x8xf32>,
                      %d: memref<8x8xf32>) {
  linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x8xf32>) outs(%c : memref<8x8xf32>)
  linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<8x8xf32>) outs(%d : memref<8x8xf32>) {
  ^bb0(%x: f32, %out: f32):
    linalg.yield %x : f32
  }
  return
}
