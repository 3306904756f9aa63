// nncc-dispatch-parallel: a call of an nn.parallel_body function goes through nncc_rt_parallel_for with its pointers in a stack array, and a trampoline unpacks them.
// RUN: nncc-opt %s --nncc-dispatch-parallel | FileCheck %s

// CHECK: llvm.func @nncc_rt_parallel_for(!llvm.ptr, !llvm.ptr, i64)
// CHECK-LABEL: llvm.func @forward(
// CHECK-SAME: %[[A:.*]]: !llvm.ptr, %[[B:.*]]: !llvm.ptr)
// CHECK: %[[ARRAY:.*]] = llvm.alloca %{{.*}} x !llvm.array<2 x ptr>
// CHECK: llvm.store %[[A]]
// CHECK: llvm.store %[[B]]
// CHECK: %[[TASK:.*]] = llvm.mlir.addressof @forward_par0_task
// CHECK: llvm.call @nncc_rt_parallel_for(%[[TASK]], %[[ARRAY]], %{{.*}})
// CHECK-NOT: llvm.call @forward_par0(
// CHECK: llvm.func internal @forward_par0(
// CHECK: llvm.func internal @forward_par0_task(%[[CTX:.*]]: !llvm.ptr, %[[LO:.*]]: i64, %[[HI:.*]]: i64)
// CHECK: llvm.load
// CHECK: llvm.load
// CHECK: llvm.call @forward_par0(%[[LO]], %[[HI]],
llvm.func @forward(%a: !llvm.ptr, %b: !llvm.ptr) {
  %lo = llvm.mlir.constant(0 : i64) : i64
  %hi = llvm.mlir.constant(16 : i64) : i64
  llvm.call @forward_par0(%lo, %hi, %a, %b) : (i64, i64, !llvm.ptr, !llvm.ptr) -> ()
  llvm.return
}
llvm.func @forward_par0(%lo: i64, %hi: i64, %a: !llvm.ptr, %b: !llvm.ptr) attributes {nn.parallel_body} {
  llvm.return
}
