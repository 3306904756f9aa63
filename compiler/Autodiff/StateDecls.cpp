// StateDecls: buffers declared after the model's own parameters and buffers.
#include "compiler/Autodiff/StateDecls.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringMap.h"

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

SmallVector<ParameterReads> parameterReads(ModuleOp module, func::FuncOp func,
                                           SmallVectorImpl<Value> &sources) {
  SmallVector<ParameterReads> params;
  llvm::StringMap<size_t> index;
  for (auto param : module.getOps<ir::ParameterOp>())
    if (!param.getFrozen()) {
      index[param.getSymName()] = params.size();
      params.push_back({param, {}});
    }
  func.walk([&](ir::GetOp get) {
    auto it = index.find(get.getName());
    if (it != index.end())
      params[it->second].reads.push_back(get.getResult());
  });
  for (const ParameterReads &p : params)
    llvm::append_range(sources, p.reads);
  return params;
}

} // namespace nncc
