// nncc-update-in-place: an update whose only writer is an elementwise op reading the state at the index it writes, with no later read of the state, is written over the state argument; every other update keeps its out-parameter.
// RUN: nncc-opt %s -split-input-file --nncc-update-in-place | FileCheck %s

#id = affine_map<(d0) -> (d0)>

// SGD: w_new = w - 0.1 * g. The out-parameter goes, and the op writes %w.
// CHECK-LABEL: func.func @sgd(
// CHECK-SAME: %[[W:[^:]*]]: memref<4xf32> {nn.role = "parameter", nn.state = "w"}, %[[G:[^:]*]]: memref<4xf32> {nn.role = "input"})
// CHECK-SAME: attributes {nn.updates = []}
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[W]], %[[G]] : memref<4xf32>, memref<4xf32>) outs(%[[W]] : memref<4xf32>)
func.func @sgd(%w: memref<4xf32> {nn.role = "parameter", nn.state = "w"}, %g: memref<4xf32> {nn.role = "input"},
               %new: memref<4xf32>) attributes {nn.updates = ["w"]} {
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%w, %g : memref<4xf32>, memref<4xf32>) outs(%new : memref<4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %c = arith.constant 0.1 : f32
    %m = arith.mulf %c, %b : f32
    %s = arith.subf %a, %m : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#id = affine_map<(d0) -> (d0)>
#rev = affine_map<(d0) -> (3 - d0)>

// The state is read after the update is written (through a view), and another update reads its
// state at another index than it writes: both keep their out-parameters.
// CHECK-LABEL: func.func @unsafe(
// CHECK-SAME: %{{[^:]*}}: memref<4xf32>, %{{[^:]*}}: memref<4xf32>)
// CHECK-SAME: attributes {nn.updates = ["a", "b"]}
func.func @unsafe(%a: memref<4xf32> {nn.role = "buffer", nn.state = "a"}, %b: memref<4xf32> {nn.role = "buffer", nn.state = "b"},
                  %out: memref<2xf32>, %newA: memref<4xf32>, %newB: memref<4xf32>)
    attributes {nn.updates = ["a", "b"]} {
  %view = memref.subview %a[0] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1]>>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<4xf32>) outs(%newA : memref<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.copy ins(%view : memref<2xf32, strided<[1]>>) outs(%out : memref<2xf32>)
  linalg.generic {indexing_maps = [#rev, #id], iterator_types = ["parallel"]}
      ins(%b : memref<4xf32>) outs(%newB : memref<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// A reduction into the update: writing over the state while later iterations read it is wrong.
// CHECK-LABEL: func.func @reduction(
// CHECK-SAME: attributes {nn.updates = ["s"]}
func.func @reduction(%s: memref<4xf32> {nn.role = "buffer", nn.state = "s"}, %x: memref<4x8xf32> {nn.role = "input"},
                     %new: memref<4xf32>) attributes {nn.updates = ["s"]} {
  linalg.generic {indexing_maps = [#row, #id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%s, %x : memref<4xf32>, memref<4x8xf32>) outs(%new : memref<4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.addf %a, %b : f32
    linalg.yield %t : f32
  }
  return
}
