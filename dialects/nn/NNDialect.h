// The nn dialect class.
#pragma once

#include "mlir/IR/Dialect.h"

#include "dialects/nn/NNDialect.h.inc"
