// Declarations and registration of every nncc pass.
#pragma once

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace nncc {

#define GEN_PASS_DECL
#include "compiler/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Passes.h.inc"

/// Argument attribute names written by nncc-state-to-args and read by
/// nncc-describe-abi.
inline constexpr const char *kRoleAttr = "nn.role";
inline constexpr const char *kStateAttr = "nn.state";
/// Marks a buffer argument left out of state_dict().
inline constexpr const char *kNonPersistentAttr = "nn.non_persistent";
/// Function attribute listing, in order, the buffers whose new values follow
/// the forward's own results (set by nncc-state-to-args from nn.assign).
inline constexpr const char *kUpdatesAttr = "nn.updates";
/// Argument attribute with the user's name for an input, set by the recorder.
inline constexpr const char *kNameAttr = "nn.name";
/// Module attribute holding the artifact's ABI as JSON.
inline constexpr const char *kManifestAttr = "nn.manifest";
/// Marks a function nncc-outline-parallel made from a parallel loop: (lo, hi, the parent's
/// arguments) runs iterations [lo, hi).
inline constexpr const char *kParallelBodyAttr = "nn.parallel_body";
/// The runtime's entry that runs a parallel loop on its threads (runtime/Parallel.h).
inline constexpr const char *kParallelForSymbol = "nncc_rt_parallel_for";
/// The runtime's entry that runs the callbacks of a hook point (runtime/Hooks.h).
inline constexpr const char *kHookSymbol = "nncc_rt_hook";
/// Function attribute holding the planned arena size in bytes.
inline constexpr const char *kArenaBytesAttr = "nn.arena_bytes";
/// Function attribute holding what the arena would take without reuse: every buffer's own bytes.
inline constexpr const char *kUnplannedBytesAttr = "nn.unplanned_bytes";

} // namespace nncc
