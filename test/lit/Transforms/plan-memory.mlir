// nncc-plan-memory: static allocations become views into one arena argument at 64-byte aligned offsets, buffers whose live ranges do not overlap share bytes, and allocations it cannot place are errors.
// RUN: nncc-opt %s -split-input-file --nncc-plan-memory -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %{{.*}}: memref<16xf32>, %[[OUT:.*]]: memref<16xf32>, %[[ARENA:.*]]: memref<128xi8> {nn.role = "arena"})
// CHECK-SAME: attributes {nn.arena_bytes = 128 : i64, nn.unplanned_bytes = 192 : i64}
func.func @chain(%in: memref<16xf32>, %out: memref<16xf32>) {
  // a (64 bytes) is live until b is written; c reuses a's bytes once a is dead.
  // CHECK-NOT: memref.alloc
  // CHECK: %[[OFF_A:.*]] = arith.constant 0 : index
  // CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[OFF_A]]][] : memref<128xi8> to memref<16xf32>
  // CHECK: linalg.copy ins(%{{.*}} : memref<16xf32>) outs(%[[A]] : memref<16xf32>)
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.copy ins(%in : memref<16xf32>) outs(%a : memref<16xf32>)
  // CHECK: %[[OFF_B:.*]] = arith.constant 64 : index
  // CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[OFF_B]]][] : memref<128xi8> to memref<16xf32>
  // CHECK: linalg.copy ins(%[[A]] : memref<16xf32>) outs(%[[B]] : memref<16xf32>)
  %b = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.copy ins(%a : memref<16xf32>) outs(%b : memref<16xf32>)
  // CHECK: %[[OFF_C:.*]] = arith.constant 0 : index
  // CHECK: %[[C:.*]] = memref.view %[[ARENA]][%[[OFF_C]]][] : memref<128xi8> to memref<16xf32>
  // CHECK: linalg.copy ins(%[[B]] : memref<16xf32>) outs(%[[C]] : memref<16xf32>)
  %c = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.copy ins(%b : memref<16xf32>) outs(%c : memref<16xf32>)
  // CHECK: linalg.copy ins(%[[C]] : memref<16xf32>) outs(%[[OUT]] : memref<16xf32>)
  linalg.copy ins(%c : memref<16xf32>) outs(%out : memref<16xf32>)
  // The arena outlives the call: deallocations go.
  // CHECK-NOT: memref.dealloc
  // CHECK: return
  memref.dealloc %a : memref<16xf32>
  return
}

// -----

// All three are live at the last copy: no sharing, and a 20-byte buffer still takes 64 bytes.
// CHECK-LABEL: func.func @all_live(
// CHECK-SAME: %[[ARENA:[a-z0-9]+]]: memref<256xi8> {nn.role = "arena"}) attributes {nn.arena_bytes = 256 : i64, nn.unplanned_bytes = 256 : i64}
func.func @all_live(%in: memref<5xf32>, %big: memref<32xf32>, %out: memref<5xf32>) {
  // CHECK: memref.view %[[ARENA]][%c0][] : memref<256xi8> to memref<5xf32>
  %a = memref.alloc() : memref<5xf32>
  // CHECK: memref.view %[[ARENA]][%c64][] : memref<256xi8> to memref<32xf32>
  %b = memref.alloc() : memref<32xf32>
  // CHECK: memref.view %[[ARENA]][%c192][] : memref<256xi8> to memref<5xf32>
  %c = memref.alloc() : memref<5xf32>
  memref.copy %in, %a : memref<5xf32> to memref<5xf32>
  memref.copy %big, %b : memref<32xf32> to memref<32xf32>
  memref.copy %in, %c : memref<5xf32> to memref<5xf32>
  func.call @use(%a, %b, %c) : (memref<5xf32>, memref<32xf32>, memref<5xf32>) -> ()
  return
}
func.func private @use(memref<5xf32>, memref<32xf32>, memref<5xf32>)

// -----

// A use through a view (here a collapse) keeps the allocation live: b cannot take a's bytes, c can.
// CHECK-LABEL: func.func @through_view(
// CHECK-SAME: %[[ARENA:[a-z0-9]+]]: memref<128xi8> {nn.role = "arena"}) attributes {nn.arena_bytes = 128 : i64, nn.unplanned_bytes = 192 : i64}
func.func @through_view(%in: memref<2x8xf32>, %out: memref<16xf32>) {
  // CHECK: %[[A:.*]] = memref.view %[[ARENA]][%c0][] : memref<128xi8> to memref<2x8xf32>
  %a = memref.alloc() : memref<2x8xf32>
  memref.copy %in, %a : memref<2x8xf32> to memref<2x8xf32>
  // CHECK: %[[B:.*]] = memref.view %[[ARENA]][%c64][] : memref<128xi8> to memref<16xf32>
  %b = memref.alloc() : memref<16xf32>
  // CHECK: memref.collapse_shape %[[A]]
  %flat = memref.collapse_shape %a [[0, 1]] : memref<2x8xf32> into memref<16xf32>
  memref.copy %flat, %b : memref<16xf32> to memref<16xf32>
  // CHECK: %[[C:.*]] = memref.view %[[ARENA]][%c0{{.*}}][] : memref<128xi8> to memref<16xf32>
  %c = memref.alloc() : memref<16xf32>
  memref.copy %b, %c : memref<16xf32> to memref<16xf32>
  memref.copy %c, %out : memref<16xf32> to memref<16xf32>
  return
}

// -----

// Nothing to place: the arena is still the last argument, and empty.
// CHECK-LABEL: func.func @no_allocs(
// CHECK-SAME: %{{.*}}: memref<4xf32>, %{{.*}}: memref<0xi8> {nn.role = "arena"}) attributes {nn.arena_bytes = 0 : i64, nn.unplanned_bytes = 0 : i64}
func.func @no_allocs(%in: memref<4xf32>) {
  return
}

// -----

func.func @dynamic(%n: index) {
  // expected-error @+1 {{'memref.alloc' op cannot be placed in the arena: only static, identity-layout allocations at function level are planned, got 'memref<?xf32>'}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}

// -----

func.func @nested(%in: memref<4xf32>, %flag: i1) {
  scf.if %flag {
    // expected-error @+1 {{'memref.alloc' op cannot be placed in the arena: only static, identity-layout allocations at function level are planned, got 'memref<4xf32>'}}
    %a = memref.alloc() : memref<4xf32>
    memref.copy %in, %a : memref<4xf32> to memref<4xf32>
  }
  return
}
