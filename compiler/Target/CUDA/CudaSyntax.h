// The C the CUDA emitter writes for MLIR's types, constants, affine index expressions and
// comparisons.
#pragma once

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Types.h"

#include <string>

namespace nncc {

/// "float", "bool", "long long" (i64 and index), "int", "signed char"; "" for other types.
std::string cType(mlir::Type type);

/// `v` as a C float literal ("1.0f", "9.99999975e-06f"), NaN and infinities as expressions.
std::string floatLiteral(double v);

/// `expr` over the loop variables d0, d1, ... as C, with affine's floor semantics for mod and
/// floordiv.
std::string affineC(mlir::AffineExpr expr);

/// arith.cmpf and arith.cmpi of `a` and `b` as C, with IEEE ordered/unordered semantics.
std::string cmpf(mlir::arith::CmpFPredicate p, const std::string &a, const std::string &b);
std::string cmpi(mlir::arith::CmpIPredicate p, const std::string &a, const std::string &b);

} // namespace nncc
