// nncc-emit-entry-points (through the whole pipeline): the void(void**) wrapper loads each
// pointer in manifest order and calls the now-internal entry; the manifest is a global string.
// RUN: nncc-opt %s --nncc-cpu-pipeline | FileCheck %s

// CHECK: llvm.func internal @forward(%arg0: !llvm.ptr {nn.role = "input"}, %arg1: !llvm.ptr {{.*}}, %arg2: !llvm.ptr {{.*}}, %arg3: !llvm.ptr, %arg4: !llvm.ptr {nn.role = "arena"})
// CHECK: llvm.func @nncc_model_forward(%[[ARGV:.*]]: !llvm.ptr)
// CHECK: llvm.getelementptr %[[ARGV]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: llvm.getelementptr %[[ARGV]][4] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: llvm.call @forward
// CHECK: llvm.mlir.global external constant @nncc_model_manifest("{\22entries\22
// CHECK-SAME: \00")
nn.parameter @w : tensor<3x4xf32>
nn.parameter @b : tensor<3xf32>
func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = nn.get @w : tensor<3x4xf32>
  %b = nn.get @b : tensor<3xf32>
  %y = nn.linear %x, %w, %b : tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
