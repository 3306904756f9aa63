// Gradient rules of conv2d, conv_transpose2d, pad, the 2-D pools and embedding: each rule, built
// through GradientOpInterface and run by the interpreter, against central finite differences of
// the interpreted forward; and the JIT-compiled backward against the interpreter.
#include "../LayerCheck.h"
#include "compiler/Registration.h"
#include "dialects/nn/NNGradient.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gmock/gmock.h>

#include <cmath>
#include <optional>
#include <random>

namespace nncc::testing {
namespace {

using mlir::Value;

/// One forward op of the function's arguments, in operand order.
struct GradCase {
  std::string name;
  std::string args;       // the arguments of @forward, e.g. "%x: tensor<1x2x5x5xf32>"
  std::string op;         // the op computing %y from them
  std::string resultType; // %y's type
  std::vector<float> indices = {}; // the values of an i64 argument (embedding)
  /// f32 inputs as distinct values at least 0.05 apart, so that a max pool's
  /// argmax stays put under the finite differences' perturbation.
  bool distinct = false;
  /// The embedding's padding_idx: the forward reads that row, but by
  /// PyTorch's definition its gradient is zero, whatever the differences say.
  std::optional<int64_t> paddingRow = std::nullopt;
};

std::ostream &operator<<(std::ostream &os, const GradCase &c) { return os << c.name; }

std::string moduleText(const GradCase &c) {
  return "func.func @forward(" + c.args + ") -> " + c.resultType + " {\n  %y = " + c.op + "\n  return %y : " +
         c.resultType + "\n}\n";
}

const char *kConvAttrs = "dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, "
                         "stride = array<i64: 2, 2>";

const std::vector<GradCase> &gradCases() {
  static const std::vector<GradCase> cases{
      // conv2d: the input gradient is a conv_transpose2d whose output_padding restores H and W.
      {"conv2d_stride2_pad_bias", "%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>",
       std::string("nn.conv2d %x, %w, %b {") + kConvAttrs +
           "} : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>, tensor<3xf32> -> tensor<1x3x3x3xf32>",
       "tensor<1x3x3x3xf32>"},
      {"conv2d_dilation2_batch2", "%x: tensor<2x2x6x5xf32>, %w: tensor<2x2x2x3xf32>",
       "nn.conv2d %x, %w {dilation = array<i64: 2, 2>, groups = 1 : i64, padding = array<i64: 1, 2>, "
       "stride = array<i64: 1, 1>} : tensor<2x2x6x5xf32>, tensor<2x2x2x3xf32> -> tensor<2x2x6x5xf32>",
       "tensor<2x2x6x5xf32>"},
      // The last row and column are in no window: output_padding 1, and a zero gradient there.
      {"conv2d_groups2_unreached_rows", "%x: tensor<1x4x6x5xf32>, %w: tensor<4x2x3x2xf32>, %b: tensor<4xf32>",
       "nn.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, groups = 2 : i64, padding = array<i64: 0, 0>, "
       "stride = array<i64: 2, 1>} : tensor<1x4x6x5xf32>, tensor<4x2x3x2xf32>, tensor<4xf32> -> "
       "tensor<1x4x2x4xf32>",
       "tensor<1x4x2x4xf32>"},
      {"conv2d_depthwise", "%x: tensor<1x3x5x5xf32>, %w: tensor<3x1x3x3xf32>, %b: tensor<3xf32>",
       "nn.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, groups = 3 : i64, padding = array<i64: 1, 1>, "
       "stride = array<i64: 2, 2>} : tensor<1x3x5x5xf32>, tensor<3x1x3x3xf32>, tensor<3xf32> -> tensor<1x3x3x3xf32>",
       "tensor<1x3x3x3xf32>"},
      // conv_transpose2d: the input gradient is a conv2d, the weight gradient conv2d_weight_grad
      // with the roles swapped.
      {"conv_transpose2d_stride2_outpad_bias", "%x: tensor<1x3x3x3xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<2xf32>",
       "nn.conv_transpose2d %x, %w, %b {dilation = array<i64: 1, 1>, groups = 1 : i64, "
       "output_padding = array<i64: 1, 1>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : "
       "tensor<1x3x3x3xf32>, tensor<3x2x3x3xf32>, tensor<2xf32> -> tensor<1x2x6x6xf32>",
       "tensor<1x2x6x6xf32>"},
      {"conv_transpose2d_groups2_dilation2", "%x: tensor<2x4x3x2xf32>, %w: tensor<4x1x2x2xf32>",
       "nn.conv_transpose2d %x, %w {dilation = array<i64: 2, 2>, groups = 2 : i64, "
       "output_padding = array<i64: 0, 0>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : "
       "tensor<2x4x3x2xf32>, tensor<4x1x2x2xf32> -> tensor<2x2x5x4xf32>",
       "tensor<2x2x5x4xf32>"},
      // output_padding at least the stride (allowed below the dilation): the conv2d of dy is
      // larger than x, so dx is cropped and x zero-extended for the weight gradient.
      {"conv_transpose2d_outpad_ge_stride", "%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x2x2xf32>",
       "nn.conv_transpose2d %x, %w {dilation = array<i64: 2, 2>, groups = 1 : i64, "
       "output_padding = array<i64: 1, 1>, padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : "
       "tensor<1x2x3x3xf32>, tensor<2x3x2x2xf32> -> tensor<1x3x6x6xf32>",
       "tensor<1x3x6x6xf32>"},
      {"conv_transpose2d_depthwise_crop", "%x: tensor<1x2x3x3xf32>, %w: tensor<2x1x3x3xf32>, %b: tensor<2xf32>",
       "nn.conv_transpose2d %x, %w, %b {dilation = array<i64: 1, 1>, groups = 2 : i64, "
       "output_padding = array<i64: 0, 0>, padding = array<i64: 2, 2>, stride = array<i64: 2, 2>} : "
       "tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>, tensor<2xf32> -> tensor<1x2x3x3xf32>",
       "tensor<1x2x3x3xf32>"},
      // pad: constant is a narrow of dy; the other modes pad_grad.
      {"pad_constant", "%x: tensor<1x2x3x4xf32>",
       "nn.pad %x {mode = \"constant\", pads = array<i64: 1, 2, 0, 1>, value = 5.000000e-01 : f64} : "
       "tensor<1x2x3x4xf32> -> tensor<1x2x4x7xf32>",
       "tensor<1x2x4x7xf32>"},
      {"pad_reflect_rank3", "%x: tensor<2x3x4xf32>",
       "nn.pad %x {mode = \"reflect\", pads = array<i64: 2, 1, 1, 2>, value = 0.000000e+00 : f64} : "
       "tensor<2x3x4xf32> -> tensor<2x6x7xf32>",
       "tensor<2x6x7xf32>"},
      {"pad_replicate", "%x: tensor<1x1x3x3xf32>",
       "nn.pad %x {mode = \"replicate\", pads = array<i64: 0, 3, 2, 1>, value = 0.000000e+00 : f64} : "
       "tensor<1x1x3x3xf32> -> tensor<1x1x6x6xf32>",
       "tensor<1x1x6x6xf32>"},
      {"pad_circular", "%x: tensor<1x2x3x4xf32>",
       "nn.pad %x {mode = \"circular\", pads = array<i64: 1, 2, 3, 0>, value = 0.000000e+00 : f64} : "
       "tensor<1x2x3x4xf32> -> tensor<1x2x6x7xf32>",
       "tensor<1x2x6x7xf32>"},
      // max_pool2d: dy goes to each window's argmax.
      {"max_pool2d_k2", "%x: tensor<1x2x4x4xf32>",
       "nn.max_pool2d %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel = array<i64: 2, 2>, "
       "padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>",
       "tensor<1x2x2x2xf32>", {}, true},
      {"max_pool2d_overlap_pad", "%x: tensor<2x1x5x5xf32>",
       "nn.max_pool2d %x {ceil_mode = false, dilation = array<i64: 1, 1>, kernel = array<i64: 3, 3>, "
       "padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<2x1x5x5xf32> -> tensor<2x1x3x3xf32>",
       "tensor<2x1x3x3xf32>", {}, true},
      {"max_pool2d_ceil_mode", "%x: tensor<1x2x6x6xf32>",
       "nn.max_pool2d %x {ceil_mode = true, dilation = array<i64: 1, 1>, kernel = array<i64: 3, 3>, "
       "padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>",
       "tensor<1x2x3x3xf32>", {}, true},
      {"max_pool2d_dilation2", "%x: tensor<1x1x5x6xf32>",
       "nn.max_pool2d %x {ceil_mode = false, dilation = array<i64: 2, 2>, kernel = array<i64: 2, 2>, "
       "padding = array<i64: 1, 0>, stride = array<i64: 1, 1>} : tensor<1x1x5x6xf32> -> tensor<1x1x5x4xf32>",
       "tensor<1x1x5x4xf32>", {}, true},
      // avg_pool2d: dy over each window with the forward's divisor.
      {"avg_pool2d_pad_include", "%x: tensor<1x2x5x5xf32>",
       "nn.avg_pool2d %x {ceil_mode = false, count_include_pad = true, kernel = array<i64: 3, 3>, "
       "padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<1x2x5x5xf32> -> tensor<1x2x3x3xf32>",
       "tensor<1x2x3x3xf32>"},
      {"avg_pool2d_ceil_exclude_pad", "%x: tensor<1x1x6x6xf32>",
       "nn.avg_pool2d %x {ceil_mode = true, count_include_pad = false, kernel = array<i64: 3, 3>, "
       "padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : tensor<1x1x6x6xf32> -> tensor<1x1x4x4xf32>",
       "tensor<1x1x4x4xf32>"},
      {"avg_pool2d_divisor_override", "%x: tensor<1x2x4x4xf32>",
       "nn.avg_pool2d %x {ceil_mode = false, count_include_pad = true, divisor_override = 3 : i64, "
       "kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : "
       "tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>",
       "tensor<1x2x2x2xf32>"},
      {"avg_pool2d_ceil_clipped", "%x: tensor<2x1x5x5xf32>",
       "nn.avg_pool2d %x {ceil_mode = true, count_include_pad = true, kernel = array<i64: 2, 2>, "
       "padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : tensor<2x1x5x5xf32> -> tensor<2x1x3x3xf32>",
       "tensor<2x1x3x3xf32>"},
      // adaptive_avg_pool2d: overlapping windows of different sizes, global, and upsampling.
      {"adaptive_avg_pool2d_overlap", "%x: tensor<1x2x7x5xf32>",
       "nn.adaptive_avg_pool2d %x : tensor<1x2x7x5xf32> -> tensor<1x2x3x2xf32>", "tensor<1x2x3x2xf32>"},
      {"adaptive_avg_pool2d_global", "%x: tensor<2x2x4x4xf32>",
       "nn.adaptive_avg_pool2d %x : tensor<2x2x4x4xf32> -> tensor<2x2x1x1xf32>", "tensor<2x2x1x1xf32>"},
      {"adaptive_avg_pool2d_larger_output", "%x: tensor<1x1x3x5xf32>",
       "nn.adaptive_avg_pool2d %x : tensor<1x1x3x5xf32> -> tensor<1x1x4x2xf32>", "tensor<1x1x4x2xf32>"},
      // embedding: repeated indices add up; the padding row gets none.
      {"embedding_repeats", "%ids: tensor<2x3xi64>, %w: tensor<5x4xf32>",
       "nn.embedding %ids, %w : tensor<2x3xi64>, tensor<5x4xf32> -> tensor<2x3x4xf32>", "tensor<2x3x4xf32>",
       {1, 3, 1, 0, 3, 4}},
      {"embedding_padding_idx", "%ids: tensor<2x3xi64>, %w: tensor<5x4xf32>",
       "nn.embedding %ids, %w {padding_idx = 3 : i64} : tensor<2x3xi64>, tensor<5x4xf32> -> tensor<2x3x4xf32>",
       "tensor<2x3x4xf32>", {1, 3, 1, 0, 3, 4}, false, 3},
      {"embedding_1d_padding_idx0", "%ids: tensor<4xi64>, %w: tensor<6x3xf32>",
       "nn.embedding %ids, %w {padding_idx = 0 : i64} : tensor<4xi64>, tensor<6x3xf32> -> tensor<4x3xf32>",
       "tensor<4x3xf32>", {0, 5, 2, 5}, false, 0},
  };
  return cases;
}

std::unique_ptr<mlir::MLIRContext> makeContext() {
  mlir::DialectRegistry registry;
  registerDialects(registry);
  auto ctx = std::make_unique<mlir::MLIRContext>(registry);
  ctx->loadAllAvailableDialects();
  return ctx;
}

bool isIndexType(mlir::Type type) { return mlir::cast<mlir::RankedTensorType>(type).getElementType().isInteger(64); }

/// Adds @backward(args..., %dy) to `module`: @forward's op cloned, then its
/// gradient rule with %dy as the gradient of its result; returns the
/// gradient of each f32 argument, in order. The index argument must get no
/// gradient.
mlir::func::FuncOp addBackward(mlir::ModuleOp module) {
  auto forward = module.lookupSymbol<mlir::func::FuncOp>("forward");
  mlir::Block &body = forward.getBody().front();
  auto ret = mlir::cast<mlir::func::ReturnOp>(body.getTerminator());
  mlir::OpBuilder b(module.getContext());
  b.setInsertionPointToEnd(module.getBody());
  llvm::SmallVector<mlir::Type> inputs(forward.getArgumentTypes());
  inputs.push_back(ret.getOperand(0).getType());
  auto backward = b.create<mlir::func::FuncOp>(forward.getLoc(), "backward", b.getFunctionType(inputs, {}));
  mlir::Block *block = backward.addEntryBlock();
  b.setInsertionPointToStart(block);
  mlir::IRMapping map;
  map.map(forward.getArguments(), block->getArguments().drop_back());
  for (mlir::Operation &op : body.without_terminator())
    b.clone(op, map);
  mlir::Operation *op = map.lookup(ret.getOperand(0)).getDefiningOp();
  auto rule = mlir::dyn_cast<ir::GradientOpInterface>(op);
  if (!rule) {
    ADD_FAILURE() << op->getName().getStringRef().str() << " has no gradient rule";
    return nullptr;
  }
  llvm::SmallVector<Value> operandGrads(op->getNumOperands());
  Value dy = block->getArguments().back();
  if (mlir::failed(rule.buildGradient(b, {dy}, operandGrads))) {
    ADD_FAILURE() << "the gradient rule failed";
    return nullptr;
  }
  llvm::SmallVector<Value> results;
  for (mlir::BlockArgument arg : block->getArguments().drop_back()) {
    auto operands = op->getOperands();
    auto use = llvm::find(operands, arg);
    if (use == operands.end()) {
      ADD_FAILURE() << "argument " << arg.getArgNumber() << " is not an operand";
      return nullptr;
    }
    Value grad = operandGrads[use - operands.begin()];
    if (isIndexType(arg.getType())) {
      EXPECT_FALSE(grad) << "indices get no gradient";
      continue;
    }
    EXPECT_TRUE(grad) << "no gradient for argument " << arg.getArgNumber();
    EXPECT_EQ(grad.getType(), arg.getType());
    results.push_back(grad);
  }
  b.create<mlir::func::ReturnOp>(forward.getLoc(), results);
  backward.setType(b.getFunctionType(inputs, mlir::ValueRange(results).getTypes()));
  return backward;
}

Shape shapeOfType(mlir::Type type) {
  auto shape = mlir::cast<mlir::RankedTensorType>(type).getShape();
  return Shape(shape.begin(), shape.end());
}

/// The forward's inputs: f32 arguments uniform in [-1, 1] (or distinct values 0.05 apart,
/// shuffled), the i64 argument the case's indices.
std::vector<Tensor> makeInputs(mlir::func::FuncOp forward, const GradCase &c, std::mt19937 &rng) {
  std::vector<Tensor> inputs;
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (mlir::Type type : forward.getArgumentTypes()) {
    Shape shape = shapeOfType(type);
    if (isIndexType(type)) {
      inputs.push_back(Tensor::fromVector(shape, c.indices));
      continue;
    }
    Tensor t = Tensor::empty(shape);
    for (int64_t i = 0; i < t.numel(); ++i)
      t.data()[i] = c.distinct ? 0.05f * static_cast<float>(i) - 1.0f : uniform(rng);
    if (c.distinct)
      std::shuffle(t.data(), t.data() + t.numel(), rng);
    inputs.push_back(t);
  }
  return inputs;
}

/// S = sum(forward(inputs) * r), in double.
double objective(mlir::ModuleOp module, const std::vector<Tensor> &inputs, const Tensor &r) {
  Tensor y = interpret(module, "forward", inputs, StateDict())[0];
  double s = 0;
  for (int64_t i = 0; i < y.numel(); ++i)
    s += static_cast<double>(y.data()[i]) * r.data()[i];
  return s;
}

/// Every element of `grad` within `tol` (absolute and relative) of the
/// central difference of `objective` in that element of `inputs[arg]`, or
/// exactly 0 in the elements [zeroFrom, zeroTo).
::testing::AssertionResult matchesFiniteDifferences(mlir::ModuleOp module, std::vector<Tensor> &inputs,
                                                    size_t arg, const Tensor &r, const Tensor &grad,
                                                    int64_t zeroFrom = 0, int64_t zeroTo = 0,
                                                    double h = 1e-2, double tol = 2e-3) {
  Tensor &x = inputs[arg];
  if (grad.shape() != x.shape())
    return ::testing::AssertionFailure() << "gradient shape " << ir::formatDims(grad.shape());
  double largest = 0;
  for (int64_t i = 0; i < x.numel(); ++i) {
    float saved = x.data()[i];
    float plus = saved + static_cast<float>(h), minus = saved - static_cast<float>(h);
    x.data()[i] = plus;
    double sPlus = objective(module, inputs, r);
    x.data()[i] = minus;
    double sMinus = objective(module, inputs, r);
    x.data()[i] = saved;
    double expected = (sPlus - sMinus) / (static_cast<double>(plus) - minus);
    double actual = grad.data()[i];
    if (i >= zeroFrom && i < zeroTo) {
      if (actual != 0)
        return ::testing::AssertionFailure() << "argument " << arg << " element " << i << ": rule gives " << actual
                                             << ", expected exactly 0";
      continue;
    }
    largest = std::max(largest, std::abs(expected));
    if (!(std::abs(actual - expected) <= tol * (1 + std::abs(expected))))
      return ::testing::AssertionFailure() << "argument " << arg << " element " << i << ": rule gives " << actual
                                           << ", finite differences " << expected;
  }
  if (largest < 0.05)
    return ::testing::AssertionFailure() << "argument " << arg << ": the gradient is all but zero";
  return ::testing::AssertionSuccess();
}

class ConvGradOps : public ::testing::TestWithParam<GradCase> {};

TEST_P(ConvGradOps, RuleMatchesFiniteDifferencesAndJitMatchesInterpreter) {
  const GradCase &c = GetParam();
  auto ctx = makeContext();
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceString<mlir::ModuleOp>(moduleText(c), ctx.get());
  ASSERT_TRUE(module) << moduleText(c);
  mlir::func::FuncOp backward = addBackward(*module);
  ASSERT_TRUE(backward);
  ASSERT_TRUE(mlir::succeeded(mlir::verify(*module))) << "the backward does not verify";

  std::mt19937 rng(1234);
  std::vector<Tensor> inputs = makeInputs(module->lookupSymbol<mlir::func::FuncOp>("forward"), c, rng);
  Tensor r = Tensor::empty(shapeOfType(backward.getArgumentTypes().back()));
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (int64_t i = 0; i < r.numel(); ++i)
    r.data()[i] = uniform(rng);
  std::vector<Tensor> backwardInputs = inputs;
  backwardInputs.push_back(r);
  std::vector<Tensor> grads = interpret(*module, "backward", backwardInputs, StateDict());

  size_t next = 0;
  for (size_t arg = 0; arg < inputs.size(); ++arg) {
    if (isIndexType(backward.getArgumentTypes()[arg]))
      continue;
    ASSERT_LT(next, grads.size());
    int64_t zeroFrom = 0, zeroTo = 0;
    if (c.paddingRow) {
      int64_t rowSize = inputs[arg].numel() / inputs[arg].shape()[0];
      zeroFrom = *c.paddingRow * rowSize;
      zeroTo = zeroFrom + rowSize;
    }
    EXPECT_TRUE(matchesFiniteDifferences(*module, inputs, arg, r, grads[next++], zeroFrom, zeroTo));
  }

  // The backward alone as the @forward of a module, compiled by the CPU pipeline.
  mlir::OwningOpRef<mlir::ModuleOp> compiled = mlir::ModuleOp::create(backward.getLoc());
  auto entry = mlir::cast<mlir::func::FuncOp>(backward->clone());
  entry.setName("forward");
  compiled->push_back(entry);
  auto jit = compileJit(*compiled, StateDict(), "grad");
  std::vector<Tensor> jitGrads = jit->forward(backwardInputs);
  ASSERT_EQ(jitGrads.size(), grads.size());
  for (size_t i = 0; i < grads.size(); ++i)
    EXPECT_TRUE(allClose(jitGrads[i], grads[i], 1e-5)) << "JIT vs interpreter, gradient " << i;
}

INSTANTIATE_TEST_SUITE_P(Rules, ConvGradOps, ::testing::ValuesIn(gradCases()),
                         [](const ::testing::TestParamInfo<GradCase> &info) { return info.param.name; });

/// Runs `text`'s @forward on `inputs` through the interpreter and the JIT.
std::pair<std::vector<Tensor>, std::vector<Tensor>> runBoth(const std::string &text,
                                                            const std::vector<Tensor> &inputs) {
  auto ctx = makeContext();
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceString<mlir::ModuleOp>(text, ctx.get());
  EXPECT_TRUE(module);
  std::vector<Tensor> interpreted = interpret(*module, "forward", inputs, StateDict());
  std::vector<Tensor> compiled = compileJit(*module, StateDict(), "grad")->forward(inputs);
  return {interpreted, compiled};
}

std::vector<float> values(const Tensor &t) { return std::vector<float>(t.data(), t.data() + t.numel()); }

// Ties are not differentiable, so finite differences say nothing: the first maximum in window
// order takes the whole gradient, as PyTorch's, in both the interpreter and compiled code.
TEST(ConvGradOpsExact, MaxPoolTiesGoToTheFirstMaximum) {
  std::string text = R"(
    func.func @forward(%x: tensor<1x1x3x4xf32>, %dy: tensor<1x1x2x3xf32>) -> tensor<1x1x3x4xf32> {
      %dx = nn.max_pool2d_grad %x, %dy {ceil_mode = false, dilation = array<i64: 1, 1>, kernel = array<i64: 2, 2>,
                                        padding = array<i64: 0, 0>, stride = array<i64: 1, 1>}
          : tensor<1x1x3x4xf32>, tensor<1x1x2x3xf32> -> tensor<1x1x3x4xf32>
      return %dx : tensor<1x1x3x4xf32>
    })";
  Tensor x = Tensor::fromVector({1, 1, 3, 4}, {1, 1, 0, 2,  //
                                               1, 1, 2, 0,  //
                                               0, 0, 0, 0});
  Tensor dy = Tensor::fromVector({1, 1, 2, 3}, {1, 10, 100, 1000, 10000, 100000});
  // Windows (0,0), (0,2) and (1,0) tie and give their gradient to the first maximum in window
  // order: (0,0), (0,3) and (1,0); the three others choose the 2 at (1,2).
  std::vector<float> expected{1, 0, 0, 100,              //
                              1000, 0, 10 + 10000 + 100000, 0, //
                              0, 0, 0, 0};
  auto [interpreted, compiled] = runBoth(text, {x, dy});
  EXPECT_EQ(values(interpreted[0]), expected);
  EXPECT_EQ(values(compiled[0]), expected);
}

// Compiled code skips an index outside the table (the interpreter rejects it), and the padding
// row stays zero even when it is picked.
TEST(ConvGradOpsExact, EmbeddingGradSumsRowsAndSkipsThePaddingRow) {
  std::string text = R"(
    func.func @forward(%ids: tensor<5xi64>, %dy: tensor<5x2xf32>) -> tensor<4x2xf32> {
      %dw = nn.embedding_grad %ids, %dy {padding_idx = 2 : i64} : tensor<5xi64>, tensor<5x2xf32> -> tensor<4x2xf32>
      return %dw : tensor<4x2xf32>
    })";
  Tensor ids = Tensor::fromVector({5}, {3, 2, 0, 3, 2});
  Tensor dy = Tensor::fromVector({5, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  auto [interpreted, compiled] = runBoth(text, {ids, dy});
  std::vector<float> expected{5, 6, 0, 0, 0, 0, 8, 10};
  EXPECT_EQ(values(interpreted[0]), expected);
  EXPECT_EQ(values(compiled[0]), expected);

  auto ctx = makeContext();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(text, ctx.get());
  Tensor outside = Tensor::fromVector({5}, {3, 2, 0, 7, 2});
  EXPECT_THAT(errorOf([&] { interpret(*module, "forward", {outside, dy}, StateDict()); }),
              ::testing::HasSubstr("embedding index 7.000000 is out of range for a table of 4 rows"));
  auto compiledOutside = compileJit(*module, StateDict(), "grad")->forward({outside, dy});
  EXPECT_EQ(values(compiledOutside[0]), (std::vector<float>{5, 6, 0, 0, 0, 0, 1, 2}));
}

} // namespace
} // namespace nncc::testing
