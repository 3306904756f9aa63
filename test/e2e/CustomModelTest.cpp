// A user-defined Module with ModuleList, ModuleDict and a buffer, loaded from PyTorch's weights.
#include "CustomModel.h"
#include "TensorGolden.h"
#include "compiler/Driver/Jit.h"
#include "compiler/Interpreter/Interpreter.h"
#include "frontend/Trace.h"

#include <fstream>

namespace nncc::testing {
namespace {

std::shared_ptr<Custom> loadedCustom() {
  auto model = std::make_shared<Custom>();
  model->load_state_dict(load_safetensors(golden("custom/weights.safetensors")));
  model->eval();
  return model;
}

std::string readText(const std::string &path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

TEST(CustomModel, StateDictKeysAndReprMatchPyTorch) {
  auto model = std::make_shared<Custom>();
  std::string keys;
  for (const std::string &k : model->state_dict().keys())
    keys += (keys.empty() ? "" : "\n") + k;
  EXPECT_EQ(keys, readText(golden("custom/state_dict_keys.txt")));
  EXPECT_EQ(model->to_string(), readText(golden("custom/repr.txt")));
}

TEST(CustomModel, RecordsModulePathsAndSymbols) {
  auto model = loadedCustom();
  TracedModel traced = trace(*model, {{"x", {4, 2, 8}}});
  std::string ir = printIR(*traced.module);
  EXPECT_NE(ir.find("nn.parameter @blocks.0.weight : tensor<32x16xf32> loc(\"blocks.0.weight\")"), std::string::npos) << ir;
  EXPECT_NE(ir.find("nn.buffer @scale : tensor<8xf32>"), std::string::npos) << ir;
  EXPECT_NE(ir.find("nn.linear %"), std::string::npos) << ir;
  EXPECT_NE(ir.find("loc(\"heads.b\")"), std::string::npos) << ir;
  EXPECT_NE(ir.find("nn.flatten %arg0, start_dim = 1, end_dim = -1 : tensor<4x2x8xf32> -> tensor<4x16xf32> loc(\"<root>\")"),
            std::string::npos)
      << ir;
  EXPECT_NE(ir.find("nn.training = false"), std::string::npos) << ir;
  // heads.a is called twice: its outputs are recorded twice, its weights read once.
  size_t reads = 0;
  for (size_t at = 0; (at = ir.find("nn.get @heads.a.weight", at)) != std::string::npos; ++at)
    ++reads;
  EXPECT_EQ(reads, 1u);
}

TEST(CustomModel, InterpreterAndJitMatchPyTorch) {
  auto model = loadedCustom();
  Tensor x = loadTensor(golden("custom/input.npy"));
  Tensor expected = loadTensor(golden("custom/output.npy"));
  TracedModel traced = trace(*model, {{"x", {4, 2, 8}}});
  StateDict state = model->state_dict();
  Tensor reference = interpret(*traced.module, "forward", {x}, state)[0];
  EXPECT_TRUE(allClose(reference, expected));
  Tensor y = compile(*model, {{"x", {4, 2, 8}}})->forward({x})[0];
  EXPECT_TRUE(allClose(y, reference));
  EXPECT_TRUE(allClose(y, expected));
}

} // namespace
} // namespace nncc::testing
