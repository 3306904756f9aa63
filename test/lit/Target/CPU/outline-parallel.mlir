// nncc-outline-parallel: a top-level scf.parallel becomes a call of @<func>_par<i> over its whole range, the function rebuilding the views it reads from the caller's arguments; a nested one becomes an scf.for.
// RUN: nncc-opt %s --nncc-outline-parallel | FileCheck %s

// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %[[X:.*]]: memref<64xf32>, %[[ARENA:.*]]: memref<256xi8>)
// CHECK-NOT: scf.parallel
// CHECK: call @forward_par0(%{{.*}}, %{{.*}}, %[[X]], %[[ARENA]]) : (index, index, memref<64xf32>, memref<256xi8>) -> ()
// CHECK: scf.for
// CHECK-NOT: scf.parallel
// CHECK: return
// CHECK: func.func private @forward_par0(%[[LO:.*]]: index, %[[HI:.*]]: index, %[[X2:.*]]: memref<64xf32>, %[[A2:.*]]: memref<256xi8>) attributes {nn.parallel_body}
// CHECK: %[[VIEW:.*]] = memref.view %[[A2]]
// CHECK: scf.for %[[T:.*]] = %[[LO]] to %[[HI]]
// CHECK: %[[I:.*]] = affine.apply #{{.*}}(%[[T]])
// CHECK: memref.load %[[X2]][%[[I]]]
// CHECK: memref.store {{.*}}, %[[VIEW]][%[[I]]]
func.func @forward(%x: memref<64xf32>, %arena: memref<256xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %view = memref.view %arena[%c0][] : memref<256xi8> to memref<64xf32>
  scf.parallel (%i) = (%c0) to (%c64) step (%c4) {
    %v = memref.load %x[%i] : memref<64xf32>
    memref.store %v, %view[%i] : memref<64xf32>
    scf.reduce
  }
  scf.for %j = %c0 to %c4 step %c1 {
    scf.parallel (%i) = (%c0) to (%c64) step (%c4) {
      %v = memref.load %view[%i] : memref<64xf32>
      memref.store %v, %x[%i] : memref<64xf32>
      scf.reduce
    }
  }
  return
}
