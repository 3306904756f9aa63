// nncc-dispatch-parallel: calls of outlined parallel loops go through the runtime's thread pool.
#include "compiler/Passes.h"

#include "mlir/IR/Builders.h"

namespace nncc {
#define GEN_PASS_DEF_DISPATCHPARALLEL
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

/// `void <body>_task(void *ctx, i64 lo, i64 hi)`: loads the body's pointers from ctx and calls it.
LLVM::LLVMFuncOp trampoline(OpBuilder &b, LLVM::LLVMFuncOp body) {
  MLIRContext *ctx = b.getContext();
  Location loc = body.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i64 = b.getI64Type();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointAfter(body);
  auto task = b.create<LLVM::LLVMFuncOp>(loc, (body.getName() + "_task").str(),
                                         LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr, i64, i64}),
                                         LLVM::Linkage::Internal);
  Block *entry = task.addEntryBlock(b);
  b.setInsertionPointToStart(entry);
  SmallVector<Value> args{entry->getArgument(1), entry->getArgument(2)};
  for (unsigned i = 2; i < body.getNumArguments(); ++i) {
    Value slot = b.create<LLVM::GEPOp>(loc, ptr, ptr, entry->getArgument(0),
                                       ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i - 2)});
    args.push_back(b.create<LLVM::LoadOp>(loc, ptr, slot));
  }
  b.create<LLVM::CallOp>(loc, body, args);
  b.create<LLVM::ReturnOp>(loc, ValueRange{});
  return task;
}

struct DispatchParallelPass : impl::DispatchParallelBase<DispatchParallelPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    OpBuilder b(ctx);
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = b.getI64Type();
    DenseMap<Operation *, LLVM::LLVMFuncOp> tasks;
    LLVM::LLVMFuncOp parallelFor = module.lookupSymbol<LLVM::LLVMFuncOp>(kParallelForSymbol);

    SmallVector<LLVM::CallOp> calls;
    module.walk([&](LLVM::CallOp call) {
      auto callee = call.getCallee() ? module.lookupSymbol<LLVM::LLVMFuncOp>(*call.getCallee()) : nullptr;
      if (callee && callee->hasAttr(kParallelBodyAttr))
        calls.push_back(call);
    });
    for (LLVM::CallOp call : calls) {
      auto body = module.lookupSymbol<LLVM::LLVMFuncOp>(*call.getCallee());
      for (Value arg : call.getArgOperands().drop_front(2))
        if (arg.getType() != ptr) {
          call.emitError("a parallel loop's function takes a non-pointer argument");
          return signalPassFailure();
        }
      body.setLinkage(LLVM::Linkage::Internal);
      LLVM::LLVMFuncOp &task = tasks[body];
      if (!task)
        task = trampoline(b, body);
      if (!parallelFor) {
        b.setInsertionPointToStart(module.getBody());
        parallelFor = b.create<LLVM::LLVMFuncOp>(
            module.getLoc(), kParallelForSymbol,
            LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr, ptr, i64}));
      }
      // The pointer array lives in the caller's frame for the duration of the call.
      Location loc = call.getLoc();
      auto parent = call->getParentOfType<LLVM::LLVMFuncOp>();
      unsigned count = call.getArgOperands().size() - 2;
      b.setInsertionPointToStart(&parent.getBody().front());
      Value one = b.create<LLVM::ConstantOp>(loc, i64, 1);
      Value array = b.create<LLVM::AllocaOp>(loc, ptr, LLVM::LLVMArrayType::get(ptr, count), one);
      b.setInsertionPoint(call);
      for (unsigned i = 0; i < count; ++i) {
        Value slot = b.create<LLVM::GEPOp>(loc, ptr, ptr, array, ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
        b.create<LLVM::StoreOp>(loc, call.getArgOperands()[2 + i], slot);
      }
      Value taskAddress = b.create<LLVM::AddressOfOp>(loc, task);
      b.create<LLVM::CallOp>(loc, parallelFor, ValueRange{taskAddress, array, call.getArgOperands()[1]});
      call.erase();
    }
  }
};

} // namespace
} // namespace nncc
