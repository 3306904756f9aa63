// Printing types, constants, affine expressions and comparisons as C.
#include "compiler/Target/CUDA/CudaSyntax.h"

#include <cmath>
#include <cstdio>

using namespace mlir;

namespace nncc {

std::string cType(Type type) {
  if (type.isF32())
    return "float";
  if (type.isInteger(1))
    return "bool";
  if (type.isInteger(64) || type.isIndex())
    return "long long";
  if (type.isInteger(32))
    return "int";
  if (type.isInteger(8))
    return "signed char";
  return "";
}

std::string floatLiteral(double v) {
  if (std::isnan(v))
    return "(0.0f / 0.0f)";
  if (std::isinf(v))
    return v > 0 ? "(1.0f / 0.0f)" : "(-1.0f / 0.0f)";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9gf", v);
  std::string s = buf;
  // "1f" is not a C literal: give integral values a decimal point.
  if (s.find_first_of(".eE") == std::string::npos)
    s.insert(s.size() - 1, ".0");
  return s;
}

std::string affineC(AffineExpr expr) {
  if (auto d = dyn_cast<AffineDimExpr>(expr))
    return "d" + std::to_string(d.getPosition());
  if (auto c = dyn_cast<AffineConstantExpr>(expr))
    return std::to_string(c.getValue()) + "LL";
  auto bin = cast<AffineBinaryOpExpr>(expr);
  std::string l = affineC(bin.getLHS()), r = affineC(bin.getRHS());
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    return "(" + l + " + " + r + ")";
  case AffineExprKind::Mul:
    return "(" + l + " * " + r + ")";
  case AffineExprKind::Mod: // affine mod and floordiv round toward minus infinity
    return "(((" + l + " % " + r + ") + " + r + ") % " + r + ")";
  case AffineExprKind::FloorDiv:
    return "((" + l + " - (((" + l + " % " + r + ") + " + r + ") % " + r + ")) / " + r + ")";
  case AffineExprKind::CeilDiv:
    return "((" + l + " + " + r + " - 1) / " + r + ")";
  default:
    return "0";
  }
}

std::string cmpf(arith::CmpFPredicate p, const std::string &a, const std::string &b) {
  using P = arith::CmpFPredicate;
  auto both = [&](const char *op) { return "(" + a + " " + op + " " + b + ")"; };
  auto unordered = [&](const char *negated) { return "(!(" + a + " " + negated + " " + b + "))"; };
  switch (p) {
  case P::OEQ: return both("==");
  case P::OGT: return both(">");
  case P::OGE: return both(">=");
  case P::OLT: return both("<");
  case P::OLE: return both("<=");
  case P::ONE: return "(" + a + " < " + b + " || " + a + " > " + b + ")";
  case P::ORD: return "(" + a + " == " + a + " && " + b + " == " + b + ")";
  case P::UEQ: return "(!(" + a + " < " + b + " || " + a + " > " + b + "))";
  case P::UGT: return unordered("<=");
  case P::UGE: return unordered("<");
  case P::ULT: return unordered(">=");
  case P::ULE: return unordered(">");
  case P::UNE: return both("!=");
  case P::UNO: return "(" + a + " != " + a + " || " + b + " != " + b + ")";
  case P::AlwaysTrue: return "true";
  default: return "false";
  }
}

std::string cmpi(arith::CmpIPredicate p, const std::string &a, const std::string &b) {
  using P = arith::CmpIPredicate;
  const char *op = p == P::eq ? "==" : p == P::ne ? "!=" : p == P::slt || p == P::ult ? "<"
                   : p == P::sle || p == P::ule ? "<=" : p == P::sgt || p == P::ugt ? ">" : ">=";
  return "(" + a + " " + op + " " + b + ")";
}

} // namespace nncc
