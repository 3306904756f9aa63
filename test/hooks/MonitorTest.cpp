// The Monitor: statistics checked by hand and against the golden feature maps, its warnings (NaN,
// dead ReLU, exploding gradients), detaching, and the CSV.
#include "HookModel.h"

#include "runtime/Monitor.h"

#include <cmath>
#include <fstream>
#include <limits>

namespace nncc::testing {
namespace {

TEST(Monitor, StatisticsLeaveNanAndInfOut) {
  float inf = std::numeric_limits<float>::infinity();
  std::vector<float> data{0, 1, 2, std::nanf(""), inf, -3};
  rt::TensorStats s = rt::computeStats(data.data(), 6);
  EXPECT_EQ(s.numel, 6);
  EXPECT_EQ(s.nan, 1);
  EXPECT_EQ(s.inf, 1);
  EXPECT_DOUBLE_EQ(s.mean, 0);
  EXPECT_DOUBLE_EQ(s.std, std::sqrt(14.0 / 3)); // unbiased, over the four finite values
  EXPECT_DOUBLE_EQ(s.min, -3);
  EXPECT_DOUBLE_EQ(s.max, 2);
  EXPECT_DOUBLE_EQ(s.l2, std::sqrt(14.0));
  EXPECT_DOUBLE_EQ(s.zero_fraction, 1.0 / 6);
}

const rt::TensorStats *find(const rt::Monitor &m, const std::string &path, const std::string &what) {
  for (const rt::TensorStats &s : m.records())
    if (s.path == path && s.what == what)
      return &s;
  return nullptr;
}

bool anyWarningHas(const rt::Monitor &m, const std::string &text) {
  for (const std::string &w : m.warnings())
    if (w.find(text) != std::string::npos)
      return true;
  return false;
}

TEST(Monitor, RecordsEveryModulesActivationsOfACompiledModel) {
  auto model = hookModel();
  Tensor x = hookInput();
  auto compiled = compile(*model, {{"x", x.shape()}}, nullptr, "*");
  rt::Monitor monitor;
  monitor.attach(compiled->runtime().hooks());
  compiled->forward({x});
  Tensor relu = loadTensor(golden("hook/capture_1.npy"));
  rt::TensorStats expected = rt::computeStats(relu.data(), relu.numel());
  const rt::TensorStats *s = find(monitor, "1", "activation");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->module_class, "ReLU");
  EXPECT_NEAR(s->mean, expected.mean, 1e-5);
  EXPECT_NEAR(s->l2, expected.l2, 1e-4);
  EXPECT_DOUBLE_EQ(s->zero_fraction, expected.zero_fraction);
  for (const char *path : {"", "0", "2", "3"})
    EXPECT_NE(find(monitor, path, "activation"), nullptr) << path;
  std::string table = monitor.table(3);
  EXPECT_NE(table.find("top 3 by L2 norm"), std::string::npos) << table;
  EXPECT_NE(table.find("ReLU"), std::string::npos) << table;
  EXPECT_TRUE(monitor.warnings().empty());

  // Detached, the hook points call nothing.
  size_t count = monitor.records().size();
  monitor.detach();
  compiled->forward({x});
  EXPECT_EQ(monitor.records().size(), count);
}

TEST(Monitor, WatchesModulesOfTheGivenClasses) {
  auto model = hookModel();
  Tensor x = hookInput();
  auto compiled = compile(*model, {{"x", x.shape()}}, nullptr, "*");
  rt::MonitorOptions options;
  options.module_classes = {"ReLU", "Linear"};
  rt::Monitor monitor(options);
  monitor.attach(compiled->runtime().hooks());
  compiled->forward({x});
  std::vector<std::string> paths;
  for (const rt::TensorStats &s : monitor.records())
    paths.push_back(s.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"1", "3"}));
}

TEST(Monitor, WarnsOnNanAndDeadRelu) {
  auto model = hookModel();
  Tensor &bias = model->get_parameter("0.bias");
  for (int64_t i = 0; i < bias.numel(); ++i)
    bias.data()[i] = -100; // every conv output negative: the ReLU is dead
  Tensor x = hookInput();
  auto compiled = compile(*model, {{"x", x.shape()}}, nullptr, "*");
  rt::Hooks &hooks = compiled->runtime().hooks();
  hooks.attach("0", rt::HookKind::Forward, [](const rt::HookEvent &e) { e.tensor.data[0] = std::nanf(""); });
  rt::Monitor monitor;
  monitor.attach(hooks);
  compiled->forward({x});
  EXPECT_TRUE(anyWarningHas(monitor, "step 0: 0 (Conv2d) activation has 1 NaN and 0 Inf of 128 values"));
  EXPECT_TRUE(anyWarningHas(monitor, "1 (ReLU) activation is dead"));
}

TEST(Monitor, WarnsOnExplodingGradientsAndWritesCsv) {
  auto model = hookModel();
  Tensor x = hookInput();
  TracedModel traced = trace(*model, {{"x", x.shape()}}, nullptr, "*");
  auto jit = compileJit(*traced.module, copiedState(*model), "hooked", /*train=*/true);
  rt::MonitorOptions options;
  options.activations = false;
  options.exploding_gradient = 1e-3;
  rt::Monitor monitor(options);
  monitor.attach(jit->runtime().hooks());
  jit->backward({x}, {Tensor::ones({2, 5})});
  monitor.next_step();
  jit->backward({x}, {Tensor::ones({2, 5})});
  EXPECT_EQ(find(monitor, "1", "activation"), nullptr);
  const rt::TensorStats *g = find(monitor, "0.weight", "param_grad");
  ASSERT_NE(g, nullptr);
  Tensor want = loadTensor(golden("hook/grad/weight_grad_seen.npy"));
  // The golden saw a doubled grad_output; without hooks the gradient is half of it.
  EXPECT_NEAR(g->l2, rt::computeStats(want.data(), want.numel()).l2 / 2, 1e-4);
  EXPECT_TRUE(anyWarningHas(monitor, "step 1: 0.weight param_grad is exploding"));
  EXPECT_NE(find(monitor, "1", "grad_input"), nullptr);
  EXPECT_NE(find(monitor, "3", "grad_output"), nullptr);

  std::string path = ::testing::TempDir() + "monitor.csv";
  ASSERT_TRUE(monitor.write_csv(path).ok());
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "step,module,class,tensor,numel,mean,std,min,max,l2,zero_fraction,nan,inf");
  size_t rows = 0;
  for (std::string line; std::getline(in, line);)
    ++rows;
  EXPECT_EQ(rows, monitor.records().size());
  EXPECT_FALSE(monitor.write_csv("/nonexistent/dir/m.csv").ok());
}

} // namespace
} // namespace nncc::testing
