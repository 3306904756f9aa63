// Registration of the nn dialect's ops.
#include "dialects/nn/NNOps.h"

#include "dialects/nn/NNDialect.cpp.inc"

void nncc::ir::NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/nn/NNOps.cpp.inc"
      >();
}
