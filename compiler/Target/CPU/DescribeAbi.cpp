// nncc-describe-abi: writes the pointer-only calling convention of each entry function as JSON.
#include "compiler/Passes.h"
#include "dialects/nn/NNOps.h"

#include <nlohmann/json.hpp>

namespace nncc {
#define GEN_PASS_DEF_DESCRIBEABI
#include "compiler/Passes.h.inc"
} // namespace nncc

using namespace mlir;

namespace nncc {
namespace {

const char *dtypeName(Type type) {
  if (type.isF32())
    return "f32";
  if (type.isInteger(8))
    return "i8";
  if (type.isInteger(64))
    return "i64";
  return nullptr;
}

struct DescribeAbiPass : impl::DescribeAbiBase<DescribeAbiPass> {
  using DescribeAbiBase::DescribeAbiBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    nlohmann::json entries = nlohmann::json::array();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.isPublic())
        continue;
      if (func.getNumResults() != 0) {
        func.emitOpError("must return its results through out-parameters before the ABI "
                         "is described");
        return signalPassFailure();
      }
      nlohmann::json args = nlohmann::json::array();
      int inputs = 0, outputs = 0;
      // Out-parameters come last: the forward's outputs, then the buffer
      // updates listed in nn.updates.
      auto updates = func->getAttrOfType<ArrayAttr>(kUpdatesAttr);
      int numOutParams = 0;
      for (unsigned i = 0; i < func.getNumArguments(); ++i)
        if (!func.getArgAttr(i, kRoleAttr))
          ++numOutParams;
      int firstUpdate = numOutParams - (updates ? static_cast<int>(updates.size()) : 0);
      for (unsigned i = 0; i < func.getNumArguments(); ++i) {
        auto type = dyn_cast<MemRefType>(func.getArgument(i).getType());
        const char *dtype = type ? dtypeName(type.getElementType()) : nullptr;
        if (!type || !type.hasStaticShape() || !dtype) {
          func.emitOpError("argument ") << i << " is not a static f32, i64 or i8 memref: "
                                        << func.getArgument(i).getType();
          return signalPassFailure();
        }
        auto role = func.getArgAttrOfType<StringAttr>(i, kRoleAttr);
        std::string roleName = role ? role.str() : "output";
        std::string name;
        if (!role && outputs >= firstUpdate) {
          roleName = "update";
          name = cast<StringAttr>(updates[outputs++ - firstUpdate]).str();
        } else if (auto state = func.getArgAttrOfType<StringAttr>(i, kStateAttr))
          name = state.str();
        else if (auto given = func.getArgAttrOfType<StringAttr>(i, kNameAttr))
          name = given.str();
        else if (roleName == "input")
          name = "input" + std::to_string(inputs);
        else if (roleName == "output")
          name = "output" + std::to_string(outputs++);
        else
          name = roleName;
        if (roleName == "input")
          ++inputs;
        nlohmann::json arg = {{"role", roleName},
                              {"name", name},
                              {"shape", std::vector<int64_t>(type.getShape().begin(),
                                                             type.getShape().end())},
                              {"dtype", dtype}};
        if (roleName == "buffer")
          arg["persistent"] = !func.getArgAttr(i, kNonPersistentAttr);
        args.push_back(arg);
      }
      auto arena = func->getAttrOfType<IntegerAttr>(kArenaBytesAttr);
      entries.push_back({{"name", func.getSymName().str()},
                         {"symbol", "nncc_" + modelName + "_" + func.getSymName().str()},
                         {"arena_bytes", arena ? arena.getInt() : 0},
                         {"args", args}});
    }
    // Hook points in module order; a callback's site is its index in the list.
    nlohmann::json hooks = nlohmann::json::array();
    auto shapeOf = [](Value v) {
      auto shape = cast<MemRefType>(v.getType()).getShape();
      return std::vector<int64_t>(shape.begin(), shape.end());
    };
    module.walk([&](ir::CallbackOp op) {
      op.setSiteAttr(IntegerAttr::get(IntegerType::get(&getContext(), 64), hooks.size()));
      nlohmann::json site = {{"path", op.getPath().str()},
                             {"kind", op.getKind().str()},
                             {"shape", shapeOf(op.getBuffer())}};
      if (op.getModuleInput())
        site["input_shape"] = shapeOf(op.getModuleInput());
      if (auto cls = op.getModuleClass())
        site["class"] = cls->str();
      hooks.push_back(site);
    });
    std::vector<std::string> features;
    for (llvm::StringRef f : llvm::split(llvm::StringRef(isa), ','))
      if (!f.empty())
        features.push_back(f.str());
    nlohmann::json manifest = {{"format", "nncc-artifact"},
                               {"version", 1},
                               {"model", modelName},
                               {"isa", features},
                               {"entries", entries}};
    if (!hooks.empty())
      manifest["hooks"] = hooks;
    module->setAttr(kManifestAttr, StringAttr::get(&getContext(), manifest.dump()));
  }
};

} // namespace
} // namespace nncc
