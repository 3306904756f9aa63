// Shared by the nn::functional files: building one nn op from SymTensor operands.
#pragma once

#include "frontend/Error.h"
#include "frontend/Recorder.h"

#include <optional>
#include <vector>

namespace nncc::functional_detail {

inline mlir::Value valueOf(const SymTensor &t) { return mlir::Value::getFromOpaquePointer(t.value()); }

/// The recorder shared by `operands`, which must all be defined.
Recorder &recorderOf(const char *op, std::initializer_list<const SymTensor *> operands);

/// Applies a shape rule (returning the result shape, or nullopt with an
/// error) and creates `OpTy` with the resulting tensor type at the current
/// module path. A rule failure throws nncc::Error naming the module path.
template <typename OpTy, typename Rule, typename... Args>
SymTensor build(Recorder &rec, const char *name, Rule rule, Args &&...args) {
  std::string error;
  std::optional<std::vector<int64_t>> shape = rule(error);
  if (!shape)
    rec.fail(name, error);
  auto type = tensorTypeOf(rec.builder().getContext(), *shape);
  auto op = rec.builder().create<OpTy>(rec.location(), type, std::forward<Args>(args)...);
  return SymTensor(&rec, op.getResult().getAsOpaquePointer(), *shape);
}

} // namespace nncc::functional_detail
