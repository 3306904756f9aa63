// nncc-state-to-args: parameters and buffers become named, read-only function arguments.
#include "compiler/Passes.h"
#include "dialects/nn/NNOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/MapVector.h"

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
  bool persistent;
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
        decls.push_back({p.getSymName(), p.getType(), "parameter", true});
      else if (auto buf = dyn_cast<ir::BufferOp>(op))
        decls.push_back({buf.getSymName(), buf.getType(), "buffer", !buf.getNonPersistent()});
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
        if (!d.persistent)
          func.setArgAttr(index, kNonPersistentAttr, b.getUnitAttr());
        func.setArgAttr(index, readOnly.getName(), readOnly.getValue());
        args[d.name] = entry.getArgument(index);
      }
      func.walk([&](ir::GetOp get) {
        get.getResult().replaceAllUsesWith(args.lookup(get.getName()));
        get.erase();
      });
      // Each updated buffer's final value becomes an extra result; the
      // runtime copies it into the buffer after the call.
      llvm::MapVector<StringRef, Value> updates;
      func.walk([&](ir::AssignOp assign) {
        updates[assign.getName()] = assign.getValue();
        assign.erase();
      });
      auto ret = cast<func::ReturnOp>(entry.getTerminator());
      SmallVector<Value> results(ret.getOperands());
      SmallVector<Attribute> names;
      for (auto &[name, value] : updates) {
        results.push_back(value);
        names.push_back(b.getStringAttr(name));
      }
      if (!updates.empty()) {
        auto updated = OpBuilder(ret).create<func::ReturnOp>(ret.getLoc(), results);
        ret.erase();
        ret = updated;
        func.setType(FunctionType::get(ctx, func.getArgumentTypes(), ValueRange(results).getTypes()));
        func->setAttr(kUpdatesAttr, b.getArrayAttr(names));
      }
      // Every result gets its own buffer: an argument, or one value returned
      // twice, is copied, so out-parameters never alias inputs or each other.
      llvm::SmallPtrSet<Value, 4> seen;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        if (!isa<BlockArgument>(v) && seen.insert(v).second)
          continue;
        OpBuilder before(ret);
        auto type = cast<RankedTensorType>(v.getType());
        Value empty = before.create<tensor::EmptyOp>(ret.getLoc(), type.getShape(),
                                                     type.getElementType());
        operand.set(before.create<linalg::CopyOp>(ret.getLoc(), v, empty).getResult(0));
      }
    }
    for (Operation *op : declOps)
      op->erase();
  }
};

} // namespace
} // namespace nncc
