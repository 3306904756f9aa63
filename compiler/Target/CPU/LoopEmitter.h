// The loop and vector building blocks shared by nncc's CPU kernel emitters: tiled loops (the first
// one large enough made parallel), and masked or strided vector loads and stores at a point of an
// op's iteration space.
#pragma once

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace nncc {

/// The shortest dimension worth vectorizing: with fewer elements most lanes would be masked off.
constexpr int64_t kMinLanes = 4;

/// Whether `memref`'s innermost dimension has unit stride (vector loads along it are contiguous).
bool innermostContiguous(mlir::Value memref);

/// One operand of a linalg op: its buffer and the indexing map from loop dimensions to its indices.
struct Access {
  mlir::Value memref;
  mlir::AffineMap map;
};

class LoopEmitter {
public:
  LoopEmitter(mlir::OpBuilder &b, mlir::Location loc, int64_t lanes)
      : b_(b), loc_(loc), lanes_(lanes), vecType_(mlir::VectorType::get({lanes}, b.getF32Type())) {}

protected:
  /// Whether an op with these loop ranges does enough work to split across threads.
  static bool worthParallel(llvm::ArrayRef<int64_t> ranges);

  /// Calls `body(offset, size)` over [0, extent): a loop over the whole steps, then the remainder.
  void forTiles(int64_t extent, int64_t step,
                llvm::function_ref<void(mlir::OpFoldResult, int64_t)> body);

  /// A loop over [0, extent) by `step` without loop-carried values: none for a single step, an
  /// scf.parallel for the first with more while parallelPending_ is set, scf.for otherwise.
  void loop(int64_t extent, int64_t step, llvm::function_ref<void(mlir::OpFoldResult)> body);

  /// `lanes` elements of `access` from `point` on, `stride` apart along the innermost dimension,
  /// as one vector of lanes_ (the lanes past `lanes` are zero).
  mlir::Value loadVector(const Access &access, llvm::ArrayRef<mlir::OpFoldResult> point,
                         int64_t lanes, int64_t stride);
  /// lanes_ elements 2 apart from `at` on: two full-width loads and one even-lane shuffle.
  mlir::Value loadEveryOther(const Access &access, llvm::ArrayRef<mlir::Value> at);
  /// Stores the first `lanes` lanes of `value` at `point`.
  void storeVector(mlir::Value value, const Access &access,
                   llvm::ArrayRef<mlir::OpFoldResult> point, int64_t lanes);
  /// A constant mask of `size` lanes whose first `on` are set.
  mlir::Value mask(int64_t size, int64_t on);
  /// The memref indices of `access` at `point`.
  llvm::SmallVector<mlir::Value> indices(const Access &access,
                                         llvm::ArrayRef<mlir::OpFoldResult> point);
  mlir::OpFoldResult offset(mlir::OpFoldResult base, int64_t delta);
  /// A scalar from outside a vectorized loop body, broadcast to every lane.
  mlir::Value splat(mlir::Value scalar);
  /// Clones the scalar op `op` of a loop body on lanes_-wide vectors: operands from `mapping`
  /// (values it lacks are splatted), results mapped in it.
  void cloneAsVector(mlir::Operation &op, mlir::IRMapping &mapping);
  mlir::Value index(int64_t v);

  mlir::OpBuilder &b_;
  mlir::Location loc_;
  int64_t lanes_;
  mlir::VectorType vecType_;
  /// Whether the next loop with more than one step is to be the op's parallel loop.
  bool parallelPending_ = false;
};

} // namespace nncc
