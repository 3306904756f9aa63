// nncc-fill-pad-borders: an input-less linalg.map is a fill; a fill whose buffer's interior is
// copied right after fills only the border around it; a fill followed by anything else stays.
// RUN: nncc-opt %s -split-input-file --nncc-fill-pad-borders | FileCheck %s

// CHECK-LABEL: func.func @padded(
// CHECK-NOT: linalg.map
// CHECK: %[[TOP:.*]] = memref.subview %arg1[0, 0, 0, 0] [1, 2, 1, 6] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[TOP]]
// CHECK: %[[BOTTOM:.*]] = memref.subview %arg1[0, 0, 5, 0] [1, 2, 1, 6] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[BOTTOM]]
// CHECK: %[[LEFT:.*]] = memref.subview %arg1[0, 0, 1, 0] [1, 2, 4, 1] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[LEFT]]
// CHECK: %[[RIGHT:.*]] = memref.subview %arg1[0, 0, 1, 5] [1, 2, 4, 1] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[RIGHT]]
// CHECK-NOT: linalg.fill
// CHECK: linalg.copy
func.func @padded(%x: memref<1x2x4x4xf32>, %buf: memref<1x2x6x6xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.map outs(%buf : memref<1x2x6x6xf32>)
    () {
      linalg.yield %zero : f32
    }
  %in = memref.subview %buf[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x2x6x6xf32> to memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>>
  linalg.copy ins(%x : memref<1x2x4x4xf32>) outs(%in : memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>>)
  return
}

// -----

// CHECK-LABEL: func.func @read_in_between(
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%arg1 : memref<1x2x6x6xf32>)
// CHECK-NOT: linalg.fill
func.func @read_in_between(%x: memref<1x2x4x4xf32>, %buf: memref<1x2x6x6xf32>, %out: memref<1x2x6x6xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%buf : memref<1x2x6x6xf32>)
  linalg.copy ins(%buf : memref<1x2x6x6xf32>) outs(%out : memref<1x2x6x6xf32>)
  %in = memref.subview %buf[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : memref<1x2x6x6xf32> to memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>>
  linalg.copy ins(%x : memref<1x2x4x4xf32>) outs(%in : memref<1x2x4x4xf32, strided<[72, 36, 6, 1], offset: 7>>)
  return
}
