// Embedding: int64 inputs through the interpreter, the JIT and `nncc run`'s npy reader; PyTorch's
// init from the same seed, padding_idx, printing and errors.
#include "../LayerCheck.h"

#include <gmock/gmock.h>

namespace nncc::testing {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<nn::Sequential> embeddingModel() {
  std::vector<std::shared_ptr<nn::Module>> layers{std::make_shared<nn::Embedding>(10, 4, 0),
                                                  std::make_shared<nn::Linear>(4, 3)};
  return std::make_shared<nn::Sequential>(layers);
}

std::vector<float> values(const Tensor &t) { return std::vector<float>(t.data(), t.data() + t.numel()); }

TEST(Embedding, MatchesPyTorchFromTheSameSeed) {
  manual_seed(14);
  auto model = embeddingModel();
  model->eval();
  StateDict expected = load_safetensors(golden("tensor/embedding/weights.safetensors"));
  for (const auto &[key, tensor] : model->state_dict())
    EXPECT_EQ(values(tensor), values(expected.at(key))) << key;
  rt::NpyArray ids = loadNpy(golden("tensor/embedding/ids.npy"));
  ASSERT_EQ(ids.dtype, "i64");
  Tensor x = Tensor::fromVector(ids.shape, ids.data);
  std::vector<InputSpec> specs{{"ids", x.shape(), DType::i64}};
  TracedModel traced = trace(*model, specs);
  EXPECT_THAT(printIR(*traced.module),
              HasSubstr("nn.embedding %arg0, %m0.weight {padding_idx = 0 : i64} : tensor<2x3xi64>, tensor<10x4xf32> -> tensor<2x3x4xf32>"));
  Tensor golden = loadTensor(testing::golden("tensor/embedding/output.npy"));
  Tensor reference = interpret(*traced.module, "forward", {x}, model->state_dict())[0];
  EXPECT_TRUE(allClose(reference, golden));
  auto compiled = compile(*model, specs);
  EXPECT_EQ(compiled->runtime().inputs()[0].dtype, "i64");
  EXPECT_TRUE(allClose(compiled->forward({x})[0], golden));
  std::vector<Tensor> onCuda = emulatedForward(*trace(*model, specs).module, {x}, model->state_dict(), "embedding");
  ASSERT_EQ(onCuda.size(), 1u);
  EXPECT_TRUE(allClose(onCuda[0], golden)) << "CUDA (emulated)";
}

TEST(Embedding, PaddingRowInitReprAndErrors) {
  nn::Embedding table(6, 3, -1);
  EXPECT_EQ(table.padding_idx, 5);
  EXPECT_EQ(std::vector<float>(table.weight().data() + 15, table.weight().data() + 18),
            std::vector<float>(3, 0.0f));
  EXPECT_EQ(table.to_string(), "Embedding(6, 3, padding_idx=5)");
  EXPECT_EQ(nn::Embedding(6, 3).to_string(), "Embedding(6, 3)");
  try {
    nn::Embedding(6, 3, 6);
    FAIL();
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "Padding_idx must be within num_embeddings");
  }
  try {
    trace(table, {{"x", {2}}});
    FAIL();
  } catch (const Error &e) {
    EXPECT_THAT(e.what(), HasSubstr("indices must be an int64 tensor"));
  }
}

TEST(Embedding, OutOfRangeIndices) {
  nn::Embedding table(4, 2);
  std::vector<InputSpec> specs{{"ids", {3}, DType::i64}};
  Tensor ids = Tensor::fromVector({3}, {1, 4, -1});
  TracedModel traced = trace(table, specs);
  try {
    interpret(*traced.module, "forward", {ids}, table.state_dict());
    FAIL();
  } catch (const Error &e) {
    EXPECT_THAT(e.what(), HasSubstr("embedding index 4.000000 is out of range for a table of 4 rows"));
  }
  // Compiled code reads zeros rather than memory outside the table.
  Tensor y = compile(table, specs)->forward({ids})[0];
  EXPECT_EQ(std::vector<float>(y.data() + 2, y.data() + 6), std::vector<float>(4, 0.0f));
  EXPECT_EQ(std::vector<float>(y.data(), y.data() + 2),
            std::vector<float>(table.weight().data() + 2, table.weight().data() + 4));
}

} // namespace
} // namespace nncc::testing
