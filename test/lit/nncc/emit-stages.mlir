// Each `nncc compile --emit` stage of this small model (Linear 4->8, ReLU, Linear 8->3 without bias), one check prefix per stage, and the passes --mlir-print-ir-after-all names.
// RUN: nncc compile %s --emit=nn | FileCheck %s --check-prefix=NN
// RUN: nncc compile %s --emit=fused | FileCheck %s --check-prefix=LINALG
// RUN: nncc compile %s --emit=linalg | FileCheck %s --check-prefix=UNFUSED
// RUN: nncc compile %s --emit=memref | FileCheck %s --check-prefix=MEMREF
// RUN: nncc compile %s --emit=llvm | FileCheck %s --check-prefix=LLVM
// RUN: rm -rf %t && nncc compile %s --emit=obj --weights %inputs/small.safetensors -o %t
// RUN: ls %t | FileCheck %s --check-prefix=FILES
// RUN: llvm-nm --extern-only --defined-only %t/emit_stages.o | FileCheck %s --check-prefix=SYMBOLS
// RUN: FileCheck %s --check-prefix=HEADER < %t/emit_stages.h
// RUN: rm -rf %t.noembed && nncc compile %s --weights %inputs/small.safetensors --no-embed-weights -o %t.noembed
// RUN: llvm-nm --extern-only --defined-only %t.noembed/emit_stages.o | FileCheck %s --check-prefix=NOEMBED
// RUN: nncc compile %s --emit=memref --mlir-print-ir-after-all 2>&1 >/dev/null | FileCheck %s --check-prefix=AFTER
// RUN: nncc compile %s --emit=llvm --mlir-print-ir-after-all 2>&1 >/dev/null | FileCheck %s --check-prefix=AFTER-LLVM

module attributes {nn.class = "Sequential", nn.training = false} {
  nn.parameter @"0.weight" : tensor<8x4xf32>
  nn.parameter @"0.bias" : tensor<8xf32>
  nn.parameter @"2.weight" : tensor<3x8xf32>
  func.func @forward(%x: tensor<2x4xf32> {nn.name = "x"}) -> tensor<2x3xf32> {
    %w0 = nn.get @"0.weight" : tensor<8x4xf32> loc("0.weight")
    %b0 = nn.get @"0.bias" : tensor<8xf32> loc("0.bias")
    %w2 = nn.get @"2.weight" : tensor<3x8xf32> loc("2.weight")
    %h = nn.linear %x, %w0, %b0 : tensor<2x4xf32>, tensor<8x4xf32>, tensor<8xf32> -> tensor<2x8xf32> loc("0")
    %r = nn.relu %h : tensor<2x8xf32> loc("1")
    %y = nn.linear %r, %w2 : tensor<2x8xf32>, tensor<3x8xf32> -> tensor<2x3xf32> loc("2")
    return %y : tensor<2x3xf32> loc("<root>")
  }
}

// The verified nn IR, as written, with module paths as locations.
// NN: module attributes {nn.class = "Sequential", nn.training = false} {
// NN-NEXT: nn.parameter @"0.weight" : tensor<8x4xf32>
// NN-NEXT: nn.parameter @"0.bias" : tensor<8xf32>
// NN-NEXT: nn.parameter @"2.weight" : tensor<3x8xf32>
// NN: %[[H:.*]] = nn.linear %arg0, %{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<8x4xf32>, tensor<8xf32> -> tensor<2x8xf32> loc("0")
// NN-NEXT: %[[R:.*]] = nn.relu %[[H]] : tensor<2x8xf32> loc("1")
// NN-NEXT: nn.linear %[[R]], %{{.*}} : tensor<2x8xf32>, tensor<3x8xf32> -> tensor<2x3xf32> loc("2")

// Weights are arguments; the bias add and the ReLU are one loop nest named after both modules.
// LINALG-NOT: nn.parameter
// LINALG: func.func @forward(%arg0: tensor<2x4xf32> {bufferization.writable = false, nn.name = "x", nn.role = "input"}
// LINALG-SAME: %arg1: tensor<8x4xf32> {bufferization.writable = false, nn.role = "parameter", nn.state = "0.weight"}
// LINALG-SAME: %arg2: tensor<8xf32> {bufferization.writable = false, nn.role = "parameter", nn.state = "0.bias"}
// LINALG-SAME: %arg3: tensor<3x8xf32> {bufferization.writable = false, nn.role = "parameter", nn.state = "2.weight"}
// LINALG: %[[MM:.*]] = linalg.matmul_transpose_b ins(%arg0, %arg1 : tensor<2x4xf32>, tensor<8x4xf32>) {{.*}} loc("0")
// LINALG: %[[ACT:.*]] = linalg.generic {{.*}} ins(%[[MM]], %arg2 : tensor<2x8xf32>, tensor<8xf32>)
// LINALG: arith.addf {{.*}} loc("0")
// LINALG-NEXT: arith.maximumf {{.*}} loc("1")
// LINALG: } -> tensor<2x8xf32> loc(fused["0", "1"])
// LINALG: linalg.matmul_transpose_b ins(%[[ACT]], %arg3 : tensor<2x8xf32>, tensor<3x8xf32>) {{.*}} loc("2")
// LINALG-NOT: nn.

// Before fusion: the bias add and the ReLU are separate loop nests, each at its own module.
// UNFUSED: linalg.matmul_transpose_b {{.*}} loc("0")
// UNFUSED: linalg.generic
// UNFUSED: arith.addf
// UNFUSED: } -> tensor<2x8xf32> loc("0")
// UNFUSED: linalg.generic
// UNFUSED: arith.maximumf
// UNFUSED: } -> tensor<2x8xf32> loc("1")

// Bufferized: the output is an out-parameter, the one intermediate [2, 8] lives in a 64-byte arena.
// MEMREF: module attributes {nn.class = "Sequential", nn.manifest = "{\22entries\22:[{\22arena_bytes\22:64,
// MEMREF-SAME: \22symbol\22:\22nncc_emit_stages_forward\22}],\22format\22:\22nncc-artifact\22,\22isa\22:[{{[^]]*}}],\22model\22:\22emit_stages\22,\22version\22:1}"
// MEMREF: func.func @forward(%arg0: memref<2x4xf32> {nn.name = "x", nn.role = "input"}
// MEMREF-SAME: %arg4: memref<2x3xf32>
// MEMREF-SAME: %arg5: memref<64xi8> {nn.role = "arena"}
// MEMREF-SAME: attributes {nn.arena_bytes = 64 : i64, nn.unplanned_bytes = 64 : i64}
// MEMREF-NOT: tensor<
// MEMREF-NOT: memref.alloc
// MEMREF: %[[H:.*]] = memref.view %arg5[%{{.*}}][] : memref<64xi8> to memref<2x8xf32>
// MEMREF: linalg.matmul_transpose_b ins(%arg0, %arg1 : memref<2x4xf32>, memref<8x4xf32>) outs(%[[H]] : memref<2x8xf32>)
// MEMREF: linalg.matmul_transpose_b ins(%[[H]], %arg3 : memref<2x8xf32>, memref<3x8xf32>) outs(%arg4 : memref<2x3xf32>)

// Optimized LLVM IR: only the wrapper is left defined (the inner forward is internal and inlined).
// LLVM: @nncc_emit_stages_manifest = local_unnamed_addr constant [{{[0-9]+}} x i8] c"{\22entries\22:[{\22arena_bytes\22:64,
// LLVM-SAME: \22model\22:\22emit_stages\22,\22version\22:1}\00"
// LLVM-NOT: define
// LLVM: define void @nncc_emit_stages_forward(ptr
// LLVM-NOT: define

// FILES: emit_stages.h
// FILES-NEXT: emit_stages.o
// FILES-NEXT: emit_stages.safetensors

// SYMBOLS: T nncc_emit_stages_forward
// SYMBOLS-NEXT: R nncc_emit_stages_manifest
// SYMBOLS-NEXT: R nncc_emit_stages_weights
// SYMBOLS-NEXT: R nncc_emit_stages_weights_size
// SYMBOLS-NOT: {{.}}

// NOEMBED: T nncc_emit_stages_forward
// NOEMBED-NEXT: R nncc_emit_stages_manifest
// NOEMBED-NOT: {{.}}

// HEADER: void nncc_emit_stages_forward(void **args);
// HEADER: extern const char nncc_emit_stages_manifest[];
// HEADER: class EmitStages {
// HEADER: static constexpr int64_t kInput0Shape[] = {2, 4};
// HEADER: static constexpr int64_t kOutput0Shape[] = {2, 3};
// HEADER: static constexpr int64_t kArenaBytes = 64;
// HEADER: nncc::rt::Status forward(const float *x, float *output0)

// AFTER: IR Dump After StateToArgs (nncc-state-to-args)
// AFTER: IR Dump After ConvertNNToLinalg (nncc-convert-nn-to-linalg)
// AFTER: IR Dump After FuseElementwise (nncc-fuse-elementwise)
// AFTER: IR Dump After OneShotBufferize (one-shot-bufferize)
// AFTER: IR Dump After PlanMemory (nncc-plan-memory)
// AFTER: IR Dump After DescribeAbi (nncc-describe-abi)
// AFTER-NOT: IR Dump After

// AFTER-LLVM: IR Dump After DescribeAbi (nncc-describe-abi)
// AFTER-LLVM: IR Dump After ConvertLinalgToLoopsPass (convert-linalg-to-loops)
// AFTER-LLVM: IR Dump After ConvertFuncToLLVMPass (convert-func-to-llvm)
// AFTER-LLVM: IR Dump After EmitEntryPoints (nncc-emit-entry-points)
// AFTER-LLVM: llvm.func internal @forward(
// AFTER-LLVM: llvm.func @nncc_emit_stages_forward(
