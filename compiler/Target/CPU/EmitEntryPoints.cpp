// nncc-emit-entry-points: void(void**) wrappers around the entry functions, and the manifest global.
#include "compiler/Passes.h"

#include "mlir/IR/Builders.h"

#include <nlohmann/json.hpp>

namespace nncc {
#define GEN_PASS_DEF_EMITENTRYPOINTS
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

struct EmitEntryPointsPass : impl::EmitEntryPointsBase<EmitEntryPointsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto manifestAttr = module->getAttrOfType<StringAttr>(kManifestAttr);
    if (!manifestAttr) {
      module.emitError("no nn.manifest attribute: run nncc-describe-abi first");
      return signalPassFailure();
    }
    nlohmann::json manifest = nlohmann::json::parse(manifestAttr.str(), nullptr, /*allow_exceptions=*/false);
    if (manifest.is_discarded() || !manifest.contains("entries") || !manifest["entries"].is_array() ||
        !manifest.contains("model") || !manifest["model"].is_string()) {
      module.emitError("nn.manifest is not an nncc manifest (JSON with 'model' and 'entries')");
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    OpBuilder b(ctx);
    b.setInsertionPointToEnd(module.getBody());
    Location loc = module.getLoc();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    auto voidType = LLVM::LLVMVoidType::get(ctx);

    for (const auto &entry : manifest["entries"]) {
      if (!entry.is_object() || !entry.value("name", nlohmann::json()).is_string() ||
          !entry.value("symbol", nlohmann::json()).is_string() || !entry.value("args", nlohmann::json()).is_array()) {
        module.emitError("nn.manifest has an entry without name, symbol and args");
        return signalPassFailure();
      }
      std::string name = entry["name"], symbol = entry["symbol"];
      auto inner = module.lookupSymbol<LLVM::LLVMFuncOp>(name);
      size_t numArgs = entry["args"].size();
      if (!inner || inner.getNumArguments() != numArgs) {
        module.emitError("entry function '") << name << "' is missing or does not take "
                                             << numArgs << " pointers";
        return signalPassFailure();
      }
      inner.setLinkage(LLVM::Linkage::Internal);
      auto wrapper = b.create<LLVM::LLVMFuncOp>(
          inner.getLoc(), symbol, LLVM::LLVMFunctionType::get(voidType, {ptrType}));
      OpBuilder::InsertionGuard guard(b);
      Block *body = wrapper.addEntryBlock(b);
      b.setInsertionPointToStart(body);
      SmallVector<Value> args;
      for (size_t i = 0; i < numArgs; ++i) {
        Value slot = b.create<LLVM::GEPOp>(loc, ptrType, ptrType, body->getArgument(0),
                                           ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
        args.push_back(b.create<LLVM::LoadOp>(loc, ptrType, slot));
      }
      b.create<LLVM::CallOp>(loc, inner, args);
      b.create<LLVM::ReturnOp>(loc, ValueRange{});
    }

    std::string text = manifestAttr.str();
    text.push_back('\0');
    auto arrayType = LLVM::LLVMArrayType::get(b.getI8Type(), text.size());
    b.create<LLVM::GlobalOp>(loc, arrayType, /*isConstant=*/true, LLVM::Linkage::External,
                             "nncc_" + manifest["model"].get<std::string>() + "_manifest",
                             b.getStringAttr(text));
  }
};

} // namespace
} // namespace nncc
