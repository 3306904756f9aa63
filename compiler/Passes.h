// Declarations and registration of every nncc pass.
#pragma once

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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
/// Function attribute holding the planned arena size in bytes.
inline constexpr const char *kArenaBytesAttr = "nn.arena_bytes";

} // namespace nncc
