// nncc-emit-entry-points: a void(void**) wrapper per manifest entry loads each pointer in order and calls the entry, which becomes internal; the manifest becomes a NUL-terminated global.
// RUN: nncc-opt %s -split-input-file --nncc-emit-entry-points -verify-diagnostics | FileCheck %s
// Through the whole CPU pipeline, from nn ops:
// RUN: nncc-opt %inputs/small.mlir --nncc-cpu-pipeline | FileCheck %s --check-prefix=PIPELINE

// CHECK-LABEL: module attributes {nn.manifest
// CHECK: llvm.func internal @forward(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK: llvm.func @nncc_tiny_forward(%[[ARGV:.*]]: !llvm.ptr) {
// CHECK-NEXT: %[[P0:.*]] = llvm.getelementptr %[[ARGV]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[A0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[P1:.*]] = llvm.getelementptr %[[ARGV]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[A1:.*]] = llvm.load %[[P1]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[P2:.*]] = llvm.getelementptr %[[ARGV]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT: %[[A2:.*]] = llvm.load %[[P2]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: llvm.call @forward(%[[A0]], %[[A1]], %[[A2]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// CHECK-NEXT: llvm.return
// CHECK: llvm.mlir.global external constant @nncc_tiny_manifest("{\22entries\22:[{\22args\22:[{},{},{}],\22name\22:\22forward\22,\22symbol\22:\22nncc_tiny_forward\22}],\22model\22:\22tiny\22}\00")
module attributes {nn.manifest = "{\22entries\22:[{\22args\22:[{},{},{}],\22name\22:\22forward\22,\22symbol\22:\22nncc_tiny_forward\22}],\22model\22:\22tiny\22}"} {
  llvm.func @forward(%x: !llvm.ptr, %w: !llvm.ptr, %out: !llvm.ptr) {
    llvm.return
  }
}

// -----

// expected-error @+1 {{no nn.manifest attribute: run nncc-describe-abi first}}
module {
  llvm.func @forward(%x: !llvm.ptr) {
    llvm.return
  }
}

// -----

// expected-error @+1 {{entry function 'forward' is missing or does not take 2 pointers}}
module attributes {nn.manifest = "{\22entries\22:[{\22args\22:[{},{}],\22name\22:\22forward\22,\22symbol\22:\22nncc_tiny_forward\22}],\22model\22:\22tiny\22}"} {
  llvm.func @forward(%x: !llvm.ptr, %w: !llvm.ptr, %out: !llvm.ptr) {
    llvm.return
  }
}

// -----

// expected-error @+1 {{entry function 'forward' is missing or does not take 1 pointers}}
module attributes {nn.manifest = "{\22entries\22:[{\22args\22:[{}],\22name\22:\22forward\22,\22symbol\22:\22nncc_tiny_forward\22}],\22model\22:\22tiny\22}"} {
}

// The pipeline's forward takes x, the three weights, the output and the arena: six pointers.
// PIPELINE: llvm.func internal @forward(%{{.*}}: !llvm.ptr {nn.name = "x", nn.role = "input"}, %{{.*}}: !llvm.ptr {nn.role = "parameter", nn.state = "0.weight"}, %{{.*}}: !llvm.ptr {nn.role = "parameter", nn.state = "0.bias"}, %{{.*}}: !llvm.ptr {nn.role = "parameter", nn.state = "2.weight"}, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr {nn.role = "arena"})
// PIPELINE: llvm.func @nncc_model_forward(%[[ARGV:.*]]: !llvm.ptr) {
// PIPELINE-COUNT-6: llvm.getelementptr %[[ARGV]]
// PIPELINE-NOT: llvm.getelementptr %[[ARGV]]
// PIPELINE: llvm.call @forward(%{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}}) :
// PIPELINE: llvm.mlir.global external constant @nncc_model_manifest("{\22entries\22:[{\22arena_bytes\22:64,
// PIPELINE-SAME: \22symbol\22:\22nncc_model_forward\22}],\22format\22:\22nncc-artifact\22,\22isa\22:[],\22model\22:\22model\22,\22version\22:1}\00")
