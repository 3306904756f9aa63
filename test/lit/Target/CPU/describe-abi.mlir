// nncc-describe-abi: each public entry function's pointer order (names, roles, shapes, dtypes, arena size) as the nn.manifest JSON, and the functions it cannot describe.
// RUN: nncc-opt %s -split-input-file --nncc-describe-abi=model-name=tiny -verify-diagnostics | FileCheck %s
// RUN: nncc-opt %s -split-input-file --nncc-describe-abi -verify-diagnostics | FileCheck %s --check-prefix=DEFAULT

// Keys are sorted; out-parameters without a role are the outputs, then the nn.updates buffers.
// CHECK: module attributes {nn.manifest = "{\22entries\22:[
// CHECK-SAME: {\22arena_bytes\22:256,\22args\22:[
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22x\22,\22role\22:\22input\22,\22shape\22:[2,4]},
// CHECK-SAME: {\22dtype\22:\22i64\22,\22name\22:\22ids\22,\22role\22:\22input\22,\22shape\22:[2]},
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\220.weight\22,\22role\22:\22parameter\22,\22shape\22:[3,4]},
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22bn.running_mean\22,\22persistent\22:true,\22role\22:\22buffer\22,\22shape\22:[3]},
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22scale\22,\22persistent\22:false,\22role\22:\22buffer\22,\22shape\22:[3]},
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22output0\22,\22role\22:\22output\22,\22shape\22:[2,3]},
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22bn.running_mean\22,\22role\22:\22update\22,\22shape\22:[3]},
// CHECK-SAME: {\22dtype\22:\22i8\22,\22name\22:\22arena\22,\22role\22:\22arena\22,\22shape\22:[256]}],
// CHECK-SAME: \22name\22:\22forward\22,\22symbol\22:\22nncc_tiny_forward\22},
// The private helper has no entry; unnamed inputs and outputs are numbered.
// CHECK-SAME: {\22arena_bytes\22:0,\22args\22:[
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22input0\22,\22role\22:\22input\22,\22shape\22:[4]},
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22output0\22,\22role\22:\22output\22,\22shape\22:[4]},
// CHECK-SAME: {\22dtype\22:\22f32\22,\22name\22:\22output1\22,\22role\22:\22output\22,\22shape\22:[2]},
// CHECK-SAME: {\22dtype\22:\22i8\22,\22name\22:\22arena\22,\22role\22:\22arena\22,\22shape\22:[0]}],
// CHECK-SAME: \22name\22:\22encode\22,\22symbol\22:\22nncc_tiny_encode\22}],
// CHECK-SAME: \22format\22:\22nncc-artifact\22,\22isa\22:[],\22model\22:\22tiny\22,\22version\22:1}"}
// DEFAULT: \22symbol\22:\22nncc_model_forward\22
// DEFAULT: \22model\22:\22model\22
func.func @forward(%x: memref<2x4xf32> {nn.role = "input", nn.name = "x"},
                   %ids: memref<2xi64> {nn.role = "input", nn.name = "ids"},
                   %w: memref<3x4xf32> {nn.role = "parameter", nn.state = "0.weight"},
                   %m: memref<3xf32> {nn.role = "buffer", nn.state = "bn.running_mean"},
                   %s: memref<3xf32> {nn.role = "buffer", nn.state = "scale", nn.non_persistent},
                   %out: memref<2x3xf32>, %new_mean: memref<3xf32>,
                   %arena: memref<256xi8> {nn.role = "arena"})
    attributes {nn.arena_bytes = 256 : i64, nn.updates = ["bn.running_mean"]} {
  return
}
func.func private @helper(%x: memref<?xf32>) {
  return
}
func.func @encode(%x: memref<4xf32> {nn.role = "input"}, %out: memref<4xf32>, %out2: memref<2xf32>,
                  %arena: memref<0xi8> {nn.role = "arena"}) {
  return
}

// -----

// expected-error @+1 {{'func.func' op must return its results through out-parameters before the ABI is described}}
func.func @forward(%x: memref<2x4xf32> {nn.role = "input"}) -> memref<2x4xf32> {
  return %x : memref<2x4xf32>
}

// -----

// expected-error @+1 {{'func.func' op argument 0 is not a static f32, i64 or i8 memref: 'memref<?x4xf32>'}}
func.func @forward(%x: memref<?x4xf32> {nn.role = "input"}) {
  return
}

// -----

// expected-error @+1 {{'func.func' op argument 1 is not a static f32, i64 or i8 memref: 'memref<2xf64>'}}
func.func @forward(%x: memref<2xf32> {nn.role = "input"}, %y: memref<2xf64> {nn.role = "input"}) {
  return
}
