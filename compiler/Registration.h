// Dialects, interfaces and translations that every nncc tool registers.
#pragma once

#include "mlir/IR/DialectRegistry.h"

namespace nncc {

/// The nn dialect, the upstream dialects the pipelines produce, their
/// bufferization models, and the LLVM IR translations.
void registerDialects(mlir::DialectRegistry &registry);

/// nn.hook's bufferization: in place, as an nn.callback on its input's buffer.
void registerHookBufferization(mlir::DialectRegistry &registry);

/// nncc's passes and pipelines, for nncc-opt and the pass manager options.
void registerPasses();

} // namespace nncc
