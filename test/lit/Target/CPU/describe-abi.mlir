// nncc-describe-abi: the pointer order of each entry function, as the manifest JSON.
// RUN: nncc-opt %s "--pass-pipeline=builtin.module(nncc-describe-abi{model-name=tiny})" | FileCheck %s

// CHECK: nn.manifest = "{\22entries\22:[{\22arena_bytes\22:256,\22args\22:[
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22x\22,\22role\22:\22input\22,\22shape\22:[2,4]}
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\220.weight\22,\22role\22:\22parameter\22,\22shape\22:[3,4]}
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22mean\22,\22persistent\22:true,\22role\22:\22buffer\22,\22shape\22:[3]}
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22output0\22,\22role\22:\22output\22,\22shape\22:[2,3]}
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22mean\22,\22role\22:\22update\22,\22shape\22:[3]}
// CHECK-SAME: {\22dtype\22:\22i8\22,\22name\22:\22arena\22,\22role\22:\22arena\22,\22shape\22:[256]}
// CHECK-SAME: \22name\22:\22forward\22,\22symbol\22:\22nncc_tiny_forward\22
// CHECK-SAME: \22format\22:\22nncc-artifact\22,\22model\22:\22tiny\22,\22version\22:1
func.func @forward(%x: memref<2x4xf32> {nn.role = "input", nn.name = "x"},
                   %w: memref<3x4xf32> {nn.role = "parameter", nn.state = "0.weight"},
                   %m: memref<3xf32> {nn.role = "buffer", nn.state = "mean"},
                   %out: memref<2x3xf32>, %new_mean: memref<3xf32>,
                   %arena: memref<256xi8> {nn.role = "arena"})
    attributes {nn.arena_bytes = 256 : i64, nn.updates = ["mean"]} {
  return
}
