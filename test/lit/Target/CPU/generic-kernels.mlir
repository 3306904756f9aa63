// nncc-generic-kernels: elementwise ops and row reductions become vector loops along their last dimension; exp becomes a polynomial; degenerate or unsupported ops are left alone.
// RUN: nncc-opt %s --nncc-generic-kernels=vector-bits=256 -canonicalize | FileCheck %s

// Bias + ReLU over rows of 20: two full vectors would overrun, so 16 lanes + a masked 4.
// CHECK-LABEL: func.func @bias_relu(
// CHECK-NOT: linalg.
// CHECK: vector.load %arg0[{{.*}}] : memref<4x20xf32>, vector<8xf32>
// CHECK: arith.addf {{.*}} : vector<8xf32>
// CHECK: arith.maximumf {{.*}} : vector<8xf32>
// CHECK: vector.store
// CHECK: vector.maskedload %arg0
// CHECK: vector.maskedstore %arg2
func.func @bias_relu(%x: memref<4x20xf32>, %b: memref<20xf32>, %y: memref<4x20xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x, %b : memref<4x20xf32>, memref<20xf32>) outs(%y : memref<4x20xf32>) {
  ^bb0(%a: f32, %c: f32, %out: f32):
    %0 = arith.addf %a, %c : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  return
}

// Softmax's sum of exp: a vector accumulator per row, one horizontal sum, exp as a polynomial.
// CHECK-LABEL: func.func @sum_exp(
// CHECK-NOT: math.exp
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>)
// CHECK: arith.subf {{.*}} : vector<8xf32>
// CHECK: math.fma
// CHECK: arith.addf {{.*}} : vector<8xf32>
// CHECK: vector.reduction <add>, {{.*}} fastmath<reassoc> : vector<8xf32> into f32
// CHECK: memref.store {{.*}} : memref<4xf32>
func.func @sum_exp(%x: memref<4x32xf32>, %max: memref<4xf32>, %sum: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%x, %max : memref<4x32xf32>, memref<4xf32>) outs(%sum : memref<4xf32>) {
  ^bb0(%a: f32, %m: f32, %acc: f32):
    %0 = arith.subf %a, %m : f32
    %1 = math.exp %0 : f32
    %2 = arith.addf %acc, %1 : f32
    linalg.yield %2 : f32
  }
  return
}

// A fill is generalized and vectorized too.
// CHECK-LABEL: func.func @fill(
// CHECK: vector.store {{.*}} : memref<8x16xf32>, vector<8xf32>
func.func @fill(%y: memref<8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<8x16xf32>)
  return
}

// A transpose that keeps the innermost dimension copies whole rows of vectors.
// CHECK-LABEL: func.func @transpose_rows(
// CHECK-NOT: linalg.
// CHECK: vector.load %arg0[{{.*}}] : memref<4x8x16xf32>, vector<8xf32>
// CHECK: vector.store {{.*}}, %arg1[{{.*}}] : memref<8x4x16xf32>, vector<8xf32>
func.func @transpose_rows(%x: memref<4x8x16xf32>, %y: memref<8x4x16xf32>) {
  linalg.transpose ins(%x : memref<4x8x16xf32>) outs(%y : memref<8x4x16xf32>) permutation = [1, 0, 2]
  return
}

// A transpose of the innermost dimension moves 8x8 blocks: eight rows loaded along the input,
// three rounds of shuffles, eight rows stored along the output.
// CHECK-LABEL: func.func @transpose_blocks(
// CHECK-NOT: linalg.
// CHECK: scf.for %[[I:.*]] = %c0 to %c16 step %c8
// CHECK: vector.load %arg0[%[[I]], {{.*}}] : memref<16x8xf32>, vector<8xf32>
// CHECK-COUNT-7: vector.load %arg0
// CHECK: vector.shuffle {{.*}} [0, 8, 1, 9, 4, 12, 5, 13] : vector<8xf32>, vector<8xf32>
// CHECK-COUNT-23: vector.shuffle
// CHECK-COUNT-8: vector.store {{.*}}, %arg1[{{.*}}] : memref<8x16xf32>, vector<8xf32>
func.func @transpose_blocks(%t: memref<16x8xf32>, %u: memref<8x16xf32>) {
  linalg.transpose ins(%t : memref<16x8xf32>) outs(%u : memref<8x16xf32>) permutation = [1, 0]
  return
}

// A last dimension of 1 would be all masked lanes, and a transpose of the innermost dimension
// whose sides are not whole blocks reads across rows: both stay loops (the transpose as the
// generic it generalizes to).
// CHECK-LABEL: func.func @left_alone(
// CHECK: linalg.generic
// CHECK: linalg.generic {{.*}} ins(%arg2 : memref<12x8xf32>) outs(%arg3 : memref<8x12xf32>)
func.func @left_alone(%x: memref<8x1xf32>, %y: memref<8x1xf32>, %t: memref<12x8xf32>, %u: memref<8x12xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x : memref<8x1xf32>) outs(%y : memref<8x1xf32>) {
  ^bb0(%a: f32, %out: f32):
    %0 = arith.negf %a : f32
    linalg.yield %0 : f32
  }
  linalg.transpose ins(%t : memref<12x8xf32>) outs(%u : memref<8x12xf32>) permutation = [1, 0]
  return
}
