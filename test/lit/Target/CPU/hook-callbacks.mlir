// A hook point bufferizes in place on its input's buffer as nn.callback (copied first when the
// value is needed elsewhere, here a function argument), gets a site number and a manifest entry,
// and becomes a call of nncc_rt_hook with data pointers that include the arena view's shift.
// RUN: nncc-opt %s --nncc-cpu-pipeline="" --mlir-print-ir-after=nncc-describe-abi 2>&1 >/dev/null | FileCheck %s --check-prefix=MEMREF
// RUN: nncc-opt %s --nncc-cpu-pipeline="" | FileCheck %s --check-prefix=LLVM

// MEMREF: nn.manifest = "{{.*}}\22hooks\22:[{\22kind\22:\22forward_pre\22,\22path\22:\22fc\22,\22shape\22:[2,3]},{\22class\22:\22Linear\22,\22input_shape\22:[2,3],\22kind\22:\22forward\22,\22path\22:\22fc\22,\22shape\22:[2,4]}]
// MEMREF: linalg.copy ins(%arg0 : memref<2x3xf32>) outs(%[[IN:.*]] : memref<2x3xf32>)
// MEMREF-NEXT: nn.callback "forward_pre" at "fc"(%[[IN]]) {site = 0 : i64} : memref<2x3xf32>
// MEMREF: nn.callback "forward" at "fc"(%[[OUT:.*]], %[[IN]]) {module_class = "Linear", site = 1 : i64}
// MEMREF-NOT: nn.callback

// LLVM: llvm.func @nncc_rt_hook(i64, !llvm.ptr, !llvm.ptr)
// LLVM-COUNT-2: llvm.call @nncc_rt_hook(
module attributes {nn.class = "Net", nn.training = false} {
  nn.parameter @"fc.weight" : tensor<4x3xf32>
  func.func @forward(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
    %w = nn.get @"fc.weight" : tensor<4x3xf32>
    %x1 = nn.hook "forward_pre" at "fc"(%x) : tensor<2x3xf32>
    %y = nn.linear %x1, %w : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<2x4xf32>
    %y1 = nn.hook "forward" at "fc"(%y, %x1) {module_class = "Linear"} : tensor<2x4xf32>, tensor<2x3xf32>
    %z = nn.relu %y1 : tensor<2x4xf32>
    return %z : tensor<2x4xf32>
  }
}
