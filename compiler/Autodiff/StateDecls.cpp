// StateDecls: buffers declared after the model's own parameters and buffers.
#include "compiler/Autodiff/StateDecls.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;

namespace nncc {

Value StateDecls::read(OpBuilder &b, Location loc, StringRef name, Type type) {
  if (!module_.lookupSymbol(name)) {
    // After the last declaration, so the ABI lists the model's state first.
    Operation *last = nullptr;
    for (Operation &op : module_.getBody()->getOperations())
      if (isa<ir::ParameterOp, ir::BufferOp>(op))
        last = &op;
    OpBuilder decl(module_.getContext());
    if (last)
      decl.setInsertionPointAfter(last);
    else
      decl.setInsertionPointToStart(module_.getBody());
    decl.create<ir::BufferOp>(module_.getLoc(), name, cast<RankedTensorType>(type),
                              /*non_persistent=*/true);
  }
  return b.create<ir::GetOp>(loc, type, FlatSymbolRefAttr::get(b.getContext(), name));
}

void StateDecls::write(OpBuilder &b, Location loc, StringRef name, Value value) {
  b.create<ir::AssignOp>(loc, FlatSymbolRefAttr::get(b.getContext(), name), value);
}

SmallVector<ir::ParameterOp> trainableParameters(ModuleOp module) {
  SmallVector<ir::ParameterOp> params;
  for (auto param : module.getOps<ir::ParameterOp>())
    if (!param.getFrozen())
      params.push_back(param);
  return params;
}

SmallVector<Value> readsOf(func::FuncOp func, StringRef name) {
  SmallVector<Value> reads;
  func.walk([&](ir::GetOp get) {
    if (get.getName() == name)
      reads.push_back(get.getResult());
  });
  return reads;
}

} // namespace nncc
