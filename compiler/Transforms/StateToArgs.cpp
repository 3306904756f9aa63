// nncc-state-to-args: parameters and buffers become named, read-only function arguments.
#include "compiler/Passes.h"
#include "dialects/nn/NNOps.h"

#include "mlir/IR/Builders.h"

namespace nncc {
#define GEN_PASS_DEF_STATETOARGS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

struct StateDecl {
  StringRef name;
  Type type;
  StringRef role;
};

struct StateToArgsPass : impl::StateToArgsBase<StateToArgsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = module.getContext();
    Builder b(ctx);
    auto readOnly = b.getNamedAttr(bufferization::BufferizationDialect::kWritableAttrName,
                                   b.getBoolAttr(false));

    SmallVector<StateDecl> decls;
    SmallVector<Operation *> declOps;
    for (Operation &op : module.getBody()->getOperations()) {
      if (auto p = dyn_cast<ir::ParameterOp>(op))
        decls.push_back({p.getSymName(), p.getType(), "parameter"});
      else if (auto buf = dyn_cast<ir::BufferOp>(op))
        decls.push_back({buf.getSymName(), buf.getType(), "buffer"});
      else
        continue;
      declOps.push_back(&op);
    }

    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      Block &entry = func.getBody().front();
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
        func.setArgAttr(i, kRoleAttr, b.getStringAttr("input"));
        func.setArgAttr(i, readOnly.getName(), readOnly.getValue());
      }
      llvm::StringMap<BlockArgument> args;
      for (const StateDecl &d : decls) {
        unsigned index = func.getNumArguments();
        func.insertArgument(index, d.type, {}, func.getLoc());
        func.setArgAttr(index, kRoleAttr, b.getStringAttr(d.role));
        func.setArgAttr(index, kStateAttr, b.getStringAttr(d.name));
        func.setArgAttr(index, readOnly.getName(), readOnly.getValue());
        args[d.name] = entry.getArgument(index);
      }
      func.walk([&](ir::GetOp get) {
        get.getResult().replaceAllUsesWith(args.lookup(get.getName()));
        get.erase();
      });
    }
    for (Operation *op : declOps)
      op->erase();
  }
};

} // namespace
} // namespace nncc
