// nncc-plan-memory refuses allocations it cannot place statically.
// RUN: nncc-opt %s --nncc-plan-memory -verify-diagnostics

func.func @dynamic(%n: index) {
  // expected-error @+1 {{cannot be placed in the arena: only static, identity-layout allocations at function level are planned, got 'memref<?xf32>'}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}
