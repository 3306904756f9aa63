// The benchmark's models in both frameworks, and the weight copy from nncc's to LibTorch's by state_dict key.
#include "bench/Workloads.h"

#include "test/ReferenceModels.h"

#include <random>
#include <set>

namespace nncc::bench {

namespace {

/// Gives every BatchNorm of `model` seeded values: weight, bias and
/// running_mean uniform in [-0.5, 0.5), running_var in [0.5, 1.5), as
/// bench/peers/make_data.py does (fresh ones are 1, 0, 0, 1: a near no-op).
void randomizeBatchNorms(nn::Module &model) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> centered(-0.5f, 0.5f), positive(0.5f, 1.5f);
  auto fill = [&](Tensor &t, std::uniform_real_distribution<float> &dist) {
    for (int64_t i = 0; i < t.numel(); ++i)
      t.data()[i] = dist(rng);
  };
  for (nn::Module *m : model.modules())
    if (auto *bn = dynamic_cast<nn::BatchNorm *>(m)) {
      fill(bn->param("weight"), centered);
      fill(bn->param("bias"), centered);
      fill(bn->buffer("running_mean"), centered);
      fill(bn->buffer("running_var"), positive);
    }
}

/// Conv(3,32)-BN-ReLU-Conv(32,64, stride 2)-BN-ReLU-AdaptiveAvgPool(1)-Flatten-Linear(64,10).
std::shared_ptr<nn::Sequential> nnccCnn() {
  std::vector<std::shared_ptr<nn::Module>> layers{
      std::make_shared<nn::Conv2d>(3, 32, 3, 1, 1), std::make_shared<nn::BatchNorm2d>(32),
      std::make_shared<nn::ReLU>(), std::make_shared<nn::Conv2d>(32, 64, 3, 2, 1),
      std::make_shared<nn::BatchNorm2d>(64), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::AdaptiveAvgPool2d>(1), std::make_shared<nn::Flatten>(),
      std::make_shared<nn::Linear>(64, 10)};
  return std::make_shared<nn::Sequential>(layers);
}

torch::nn::Sequential torchCnn() {
  using namespace torch::nn;
  return Sequential(Conv2d(Conv2dOptions(3, 32, 3).padding(1)), BatchNorm2d(32), ReLU(),
                    Conv2d(Conv2dOptions(32, 64, 3).stride(2).padding(1)), BatchNorm2d(64), ReLU(),
                    AdaptiveAvgPool2d(1), Flatten(), Linear(64, 10));
}

/// Two torchvision BasicBlocks of 64 channels (test/ReferenceModels.h's).
std::shared_ptr<nn::Sequential> nnccResnet() {
  std::vector<std::shared_ptr<nn::Module>> blocks{std::make_shared<testing::BasicBlock>(64),
                                                  std::make_shared<testing::BasicBlock>(64)};
  return std::make_shared<nn::Sequential>(blocks);
}

/// torchvision's BasicBlock without downsampling, with its submodule names.
struct TorchBasicBlockImpl : torch::nn::Module {
  explicit TorchBasicBlockImpl(int64_t c)
      : conv1(register_module("conv1", conv(c))),
        bn1(register_module("bn1", torch::nn::BatchNorm2d(c))),
        conv2(register_module("conv2", conv(c))),
        bn2(register_module("bn2", torch::nn::BatchNorm2d(c))) {}
  torch::Tensor forward(const torch::Tensor &x) {
    return torch::relu(bn2(conv2(torch::relu(bn1(conv1(x))))) + x);
  }
  static torch::nn::Conv2d conv(int64_t c) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(c, c, 3).padding(1).bias(false));
  }
  torch::nn::Conv2d conv1;
  torch::nn::BatchNorm2d bn1;
  torch::nn::Conv2d conv2;
  torch::nn::BatchNorm2d bn2;
};
TORCH_MODULE(TorchBasicBlock);

/// TransformerEncoderLayer(d_model=256, nhead=4, dim_feedforward=1024, dropout=0, relu),
/// batch first.
std::shared_ptr<nn::TransformerEncoderLayer> nnccEncoder() {
  return std::make_shared<nn::TransformerEncoderLayer>(256, 4, 1024, 0.0, "relu", 1e-5,
                                                       /*batch_first=*/true);
}

torch::nn::TransformerEncoderLayer torchEncoder() {
  return torch::nn::TransformerEncoderLayer(torch::nn::TransformerEncoderLayerOptions(256, 4)
                                                .dim_feedforward(1024)
                                                .dropout(0.0)
                                                .activation(torch::kReLU));
}

/// The workload `name` on `input`: nncc's model (BN randomized, eval) and
/// LibTorch's with nncc's weights copied in (eval), run by `torchForward`.
ForwardWorkload make(std::string name, Shape input, std::shared_ptr<nn::Module> nnccModel,
                     std::shared_ptr<torch::nn::Module> torchModel,
                     std::function<torch::Tensor(const torch::Tensor &)> torchForward) {
  randomizeBatchNorms(*nnccModel);
  nnccModel->eval();
  copyWeights(nnccModel->state_dict(), *torchModel);
  torchModel->eval();
  return {std::move(name), std::move(input), std::move(nnccModel), std::move(torchModel),
          std::move(torchForward)};
}

ForwardWorkload sequential(std::string name, Shape input, std::shared_ptr<nn::Module> nnccModel,
                           torch::nn::Sequential seq) {
  return make(std::move(name), std::move(input), std::move(nnccModel), seq.ptr(),
              [seq](const torch::Tensor &x) mutable { return seq->forward(x); });
}

} // namespace

std::shared_ptr<nn::Sequential> nnccMlp() {
  // A braced list constructs the layers left to right, drawing weights in PyTorch's order.
  std::vector<std::shared_ptr<nn::Module>> layers{
      std::make_shared<nn::Linear>(784, 512), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(512, 512), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(512, 10)};
  return std::make_shared<nn::Sequential>(layers);
}

torch::nn::Sequential torchMlp() {
  using namespace torch::nn;
  return Sequential(Linear(784, 512), ReLU(), Linear(512, 512), ReLU(), Linear(512, 10));
}

std::vector<ForwardWorkload> forwardWorkloads() {
  std::vector<ForwardWorkload> out;
  auto seeded = [](auto build) {
    manual_seed(0);
    return build();
  };
  out.push_back(sequential("mlp_b1", {1, 784}, seeded(nnccMlp), torchMlp()));
  out.push_back(sequential("mlp_b64", {64, 784}, seeded(nnccMlp), torchMlp()));
  out.push_back(sequential("cnn_b1", {1, 3, 32, 32}, seeded(nnccCnn), torchCnn()));
  out.push_back(sequential("cnn_b32", {32, 3, 32, 32}, seeded(nnccCnn), torchCnn()));
  out.push_back(sequential("resnet_b1", {1, 64, 56, 56}, seeded(nnccResnet),
                           torch::nn::Sequential(TorchBasicBlock(64), TorchBasicBlock(64))));
  // LibTorch 1.13's TransformerEncoderLayer has no batch_first: it takes [S, N, E]. The two
  // transposes are views (no copy) and are inside the timed region, as they are part of running
  // a batch-first input through it.
  torch::nn::TransformerEncoderLayer encoder = torchEncoder();
  out.push_back(make("encoder_b8", {8, 128, 256}, seeded(nnccEncoder), encoder.ptr(),
                     [encoder](const torch::Tensor &x) mutable {
                       return encoder->forward(x.transpose(0, 1)).transpose(0, 1);
                     }));
  return out;
}

void copyWeights(const StateDict &from, torch::nn::Module &to) {
  torch::NoGradGuard noGrad;
  std::set<std::string> copied;
  auto copy = [&](const std::string &key, torch::Tensor &dest) {
    const Tensor *src = from.find(key);
    if (!src)
      throw Error("copyWeights: LibTorch's '" + key + "' is not in nncc's state_dict");
    if (dest.sizes() != torch::IntArrayRef(src->shape()))
      throw Error("copyWeights: '" + key + "' is " + shapeToString(src->shape()) +
                  " in nncc but " + shapeToString(dest.sizes().vec()) + " in LibTorch");
    // copy_ also converts, e.g. num_batches_tracked (f32 in nncc, int64 in LibTorch).
    dest.copy_(torch::from_blob(const_cast<float *>(src->data()), src->shape(), torch::kFloat32));
    copied.insert(key);
  };
  for (auto &item : to.named_parameters())
    copy(item.key(), item.value());
  for (auto &item : to.named_buffers())
    copy(item.key(), item.value());
  for (const std::string &key : from.keys())
    if (!copied.count(key))
      throw Error("copyWeights: nncc's '" + key + "' has no LibTorch counterpart");
}

} // namespace nncc::bench
