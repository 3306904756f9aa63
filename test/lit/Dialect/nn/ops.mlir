// Every core, mode and tensor nn op parses, prints in its custom form, and parses again to the same text, also from the generic form (layer ops: layer-ops.mlir).
// RUN: nncc-opt %s | nncc-opt | FileCheck %s
// RUN: nncc-opt %s -mlir-print-op-generic | nncc-opt | FileCheck %s

// CHECK: nn.parameter @w : tensor<8x4xf32>
nn.parameter @w : tensor<8x4xf32>
// CHECK: nn.parameter frozen @b : tensor<8xf32>
nn.parameter frozen @b : tensor<8xf32>
// CHECK: nn.buffer @bn.running_mean : tensor<8xf32>
nn.buffer @"bn.running_mean" : tensor<8xf32>
// CHECK: nn.buffer non_persistent @gain : tensor<8xf32>
nn.buffer non_persistent @gain : tensor<8xf32>
// CHECK: nn.buffer @count : tensor<f32>
nn.buffer @count : tensor<f32>
// CHECK: nn.parameter @emb : tensor<10x4xf32>
nn.parameter @emb : tensor<10x4xf32>

// CHECK-LABEL: func.func @core(
// CHECK-SAME: %[[X:.*]]: tensor<2x4xf32>, %[[X3:.*]]: tensor<5x2x4xf32>)
func.func @core(%x: tensor<2x4xf32>, %x3: tensor<5x2x4xf32>) -> tensor<5x2x8xf32> {
  // CHECK: %[[W:.*]] = nn.get @w : tensor<8x4xf32>
  %w = nn.get @w : tensor<8x4xf32>
  // CHECK: %[[B:.*]] = nn.get @b : tensor<8xf32>
  %b = nn.get @b : tensor<8xf32>
  // CHECK: %[[L:.*]] = nn.linear %[[X]], %[[W]], %[[B]] : tensor<2x4xf32>, tensor<8x4xf32>, tensor<8xf32> -> tensor<2x8xf32>
  %l = nn.linear %x, %w, %b : tensor<2x4xf32>, tensor<8x4xf32>, tensor<8xf32> -> tensor<2x8xf32>
  // CHECK: %[[L3:.*]] = nn.linear %[[X3]], %[[W]] : tensor<5x2x4xf32>, tensor<8x4xf32> -> tensor<5x2x8xf32>
  %l3 = nn.linear %x3, %w : tensor<5x2x4xf32>, tensor<8x4xf32> -> tensor<5x2x8xf32>
  // CHECK: %[[R:.*]] = nn.relu %[[L]] : tensor<2x8xf32>
  %r = nn.relu %l : tensor<2x8xf32>
  // CHECK: %[[A:.*]] = nn.add %[[R]], %[[B]] : tensor<2x8xf32>, tensor<8xf32> -> tensor<2x8xf32>
  %a = nn.add %r, %b : tensor<2x8xf32>, tensor<8xf32> -> tensor<2x8xf32>
  // CHECK: %[[M:.*]] = nn.mul %[[L3]], %[[A]] : tensor<5x2x8xf32>, tensor<2x8xf32> -> tensor<5x2x8xf32>
  %m = nn.mul %l3, %a : tensor<5x2x8xf32>, tensor<2x8xf32> -> tensor<5x2x8xf32>
  // CHECK: return %[[M]] : tensor<5x2x8xf32>
  return %m : tensor<5x2x8xf32>
}

// CHECK-LABEL: func.func @shapes(
// CHECK-SAME: %[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3x2xf32>, %[[C:.*]]: tensor<4x3x2xf32>, %[[D:.*]]: tensor<4x2x5xf32>)
func.func @shapes(%a: tensor<4x3xf32>, %b: tensor<3x2xf32>, %c: tensor<4x3x2xf32>, %d: tensor<4x2x5xf32>) -> (tensor<4x2xf32>, tensor<4x3x5xf32>, tensor<4x10xf32>, tensor<40xf32>) {
  // CHECK: nn.matmul %[[A]], %[[B]] : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
  %m = nn.matmul %a, %b : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
  // CHECK: nn.matmul %[[C]], %[[D]] : tensor<4x3x2xf32>, tensor<4x2x5xf32> -> tensor<4x3x5xf32>
  %bm = nn.matmul %c, %d : tensor<4x3x2xf32>, tensor<4x2x5xf32> -> tensor<4x3x5xf32>
  // CHECK: nn.flatten %[[D]], start_dim = 1, end_dim = -1 : tensor<4x2x5xf32> -> tensor<4x10xf32>
  %f = nn.flatten %d, start_dim = 1, end_dim = -1 : tensor<4x2x5xf32> -> tensor<4x10xf32>
  // CHECK: nn.flatten %[[D]], start_dim = 0, end_dim = 2 : tensor<4x2x5xf32> -> tensor<40xf32>
  %all = nn.flatten %d, start_dim = 0, end_dim = 2 : tensor<4x2x5xf32> -> tensor<40xf32>
  return %m, %bm, %f, %all : tensor<4x2xf32>, tensor<4x3x5xf32>, tensor<4x10xf32>, tensor<40xf32>
}

// CHECK-LABEL: func.func @mode(
func.func @mode(%x: tensor<4x8x3xf32>) -> (tensor<4x8x3xf32>, tensor<4x8x3xf32>, tensor<4x8x3xf32>) {
  %rm = nn.get @"bn.running_mean" : tensor<8xf32>
  %rv = nn.get @gain : tensor<8xf32>
  %n = nn.get @count : tensor<f32>
  %w = nn.get @b : tensor<8xf32>
  // CHECK: %[[BN:.*]]:4 = nn.batch_norm %{{.*}} running(%{{.*}}, %{{.*}}) count(%{{.*}}) {eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64, training} : (tensor<4x8x3xf32>, tensor<8xf32>, tensor<8xf32>, tensor<f32>) -> (tensor<4x8x3xf32>, tensor<8xf32>, tensor<8xf32>, tensor<f32>)
  %y, %m, %v, %c = nn.batch_norm %x running(%rm, %rv) count(%n) {eps = 1.0e-5 : f64, momentum = 0.1 : f64, training} : (tensor<4x8x3xf32>, tensor<8xf32>, tensor<8xf32>, tensor<f32>) -> (tensor<4x8x3xf32>, tensor<8xf32>, tensor<8xf32>, tensor<f32>)
  // CHECK: nn.batch_norm %{{.*}} running(%{{.*}}, %{{.*}}) affine(%{{.*}}, %{{.*}}) {eps = 1.000000e-05 : f64} : (tensor<4x8x3xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8x3xf32>
  %e = nn.batch_norm %x running(%rm, %rv) affine(%w, %w) {eps = 1.0e-5 : f64} : (tensor<4x8x3xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8x3xf32>
  // CHECK: nn.assign @bn.running_mean, %[[BN]]#1 : tensor<8xf32>
  nn.assign @"bn.running_mean", %m : tensor<8xf32>
  // CHECK: nn.dropout %[[BN]]#0 {p = 5.000000e-01 : f64, seed = 7 : i64} : tensor<4x8x3xf32>
  %d = nn.dropout %y {p = 0.5 : f64, seed = 7 : i64} : tensor<4x8x3xf32>
  return %y, %d, %e : tensor<4x8x3xf32>, tensor<4x8x3xf32>, tensor<4x8x3xf32>
}

// CHECK-LABEL: func.func @tensor_ops(
func.func @tensor_ops(%x: tensor<2x12xf32>, %ids: tensor<2x3xi64>) -> (tensor<2x4x3xf32>, tensor<2x3x4xf32>) {
  // CHECK: nn.constant dense<5.000000e-01> : tensor<f32> -> tensor<f32>
  %c = nn.constant dense<0.5> : tensor<f32> -> tensor<f32>
  // CHECK: nn.sub %{{.*}}, %{{.*}} : tensor<2x12xf32>, tensor<f32> -> tensor<2x12xf32>
  %s = nn.sub %x, %c : tensor<2x12xf32>, tensor<f32> -> tensor<2x12xf32>
  // CHECK: nn.div %{{.*}}, %{{.*}} : tensor<2x12xf32>, tensor<f32> -> tensor<2x12xf32>
  %q = nn.div %s, %c : tensor<2x12xf32>, tensor<f32> -> tensor<2x12xf32>
  // CHECK: nn.reshape %{{.*}} : tensor<2x12xf32> -> tensor<2x3x4xf32>
  %r = nn.reshape %q : tensor<2x12xf32> -> tensor<2x3x4xf32>
  // CHECK: nn.permute %{{.*}}, dims = [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %p = nn.permute %r, dims = [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  // CHECK: nn.narrow %{{.*}}, dim = 1, start = 1, length = 2 : tensor<2x4x3xf32> -> tensor<2x2x3xf32>
  %n = nn.narrow %p, dim = 1, start = 1, length = 2 : tensor<2x4x3xf32> -> tensor<2x2x3xf32>
  // CHECK: nn.concat %{{.*}}, %{{.*}} along dim = 1 : tensor<2x2x3xf32>, tensor<2x2x3xf32> -> tensor<2x4x3xf32>
  %k = nn.concat %n, %n along dim = 1 : tensor<2x2x3xf32>, tensor<2x2x3xf32> -> tensor<2x4x3xf32>
  %emb = nn.get @emb : tensor<10x4xf32>
  // CHECK: nn.embedding %{{.*}}, %{{.*}} {padding_idx = 0 : i64} : tensor<2x3xi64>, tensor<10x4xf32> -> tensor<2x3x4xf32>
  %e = nn.embedding %ids, %emb {padding_idx = 0 : i64} : tensor<2x3xi64>, tensor<10x4xf32> -> tensor<2x3x4xf32>
  return %k, %e : tensor<2x4x3xf32>, tensor<2x3x4xf32>
}
