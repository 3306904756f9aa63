// nncc-plan-memory: allocations become views into one arena argument, and buffers whose live
// ranges do not overlap share bytes.
// RUN: nncc-opt %s --nncc-plan-memory | FileCheck %s

// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %{{.*}}: memref<16xf32>, %{{.*}}: memref<16xf32>, %[[ARENA:.*]]: memref<128xi8> {nn.role = "arena"})
// CHECK-SAME: attributes {nn.arena_bytes = 128 : i64}
func.func @chain(%in: memref<16xf32>, %out: memref<16xf32>) {
  // a (64 B) is live until b is computed; c reuses a's bytes once a is dead.
  // CHECK-NOT: memref.alloc
  // CHECK: %[[OFF_A:.*]] = arith.constant 0 : index
  // CHECK: memref.view %[[ARENA]][%[[OFF_A]]][] : memref<128xi8> to memref<16xf32>
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.copy ins(%in : memref<16xf32>) outs(%a : memref<16xf32>)
  // CHECK: %[[OFF_B:.*]] = arith.constant 64 : index
  // CHECK: memref.view %[[ARENA]][%[[OFF_B]]][] : memref<128xi8> to memref<16xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.copy ins(%a : memref<16xf32>) outs(%b : memref<16xf32>)
  // CHECK: %[[OFF_C:.*]] = arith.constant 0 : index
  // CHECK: memref.view %[[ARENA]][%[[OFF_C]]][] : memref<128xi8> to memref<16xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.copy ins(%b : memref<16xf32>) outs(%c : memref<16xf32>)
  linalg.copy ins(%c : memref<16xf32>) outs(%out : memref<16xf32>)
  // CHECK-NOT: memref.dealloc
  memref.dealloc %a : memref<16xf32>
  return
}
