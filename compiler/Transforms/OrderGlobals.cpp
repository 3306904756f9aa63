// nncc-order-globals: memref.globals in symbol order, located where they are used.
#include "compiler/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace nncc {
#define GEN_PASS_DEF_ORDERGLOBALS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

struct OrderGlobalsPass : impl::OrderGlobalsBase<OrderGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<memref::GlobalOp> globals(module.getOps<memref::GlobalOp>());
    llvm::sort(globals, [](memref::GlobalOp a, memref::GlobalOp b) { return a.getSymName() < b.getSymName(); });
    llvm::StringMap<SmallVector<Location>> users;
    module.walk([&](memref::GetGlobalOp get) { users[get.getName()].push_back(get.getLoc()); });
    Block *body = module.getBody();
    for (memref::GlobalOp global : llvm::reverse(globals)) {
      global->moveBefore(body, body->begin());
      auto it = users.find(global.getSymName());
      global->setLoc(it == users.end() ? UnknownLoc::get(&getContext())
                                       : FusedLoc::get(&getContext(), it->second));
    }
  }
};

} // namespace
} // namespace nncc
