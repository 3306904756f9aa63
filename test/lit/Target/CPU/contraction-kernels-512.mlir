// nncc-contraction-kernels with 512-bit vectors: an outer-product kernel takes vectors of 8 when
// they cover n with fewer idle lanes than vectors of 16 (n = 24: 3 x 8, not 2 x 16 with 8 idle),
// in tiles of up to the same span (4 vectors of 8; here the 3 of n, with 8 rows); n = 32 keeps
// vectors of 16.
// RUN: nncc-opt %s --nncc-contraction-kernels=vector-bits=512 -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @n24(
// CHECK-NOT: vector<16xf32>
// CHECK: scf.parallel {{.*}} step (%c8)
// CHECK: vector.load %arg1[{{.*}}] : memref<64x24xf32>, vector<8xf32>
// CHECK-COUNT-2: vector.load %arg1[{{.*}}] : memref<64x24xf32>, vector<8xf32>
// CHECK-NOT: vector.load %arg1
// CHECK-NOT: vector.maskedload
// CHECK: vector.fma {{.*}} : vector<8xf32>
func.func @n24(%a: memref<48x64xf32>, %b: memref<64x24xf32>, %c: memref<48x24xf32>) {
  linalg.matmul ins(%a, %b : memref<48x64xf32>, memref<64x24xf32>) outs(%c : memref<48x24xf32>)
  return
}

// CHECK-LABEL: func.func @n32(
// CHECK: vector.load %arg1[{{.*}}] : memref<64x32xf32>, vector<16xf32>
// CHECK: vector.fma {{.*}} : vector<16xf32>
func.func @n32(%a: memref<48x64xf32>, %b: memref<64x32xf32>, %c: memref<48x32xf32>) {
  linalg.matmul ins(%a, %b : memref<48x64xf32>, memref<64x32xf32>) outs(%c : memref<48x32xf32>)
  return
}
