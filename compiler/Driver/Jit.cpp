// The JIT: the CPU pipeline, then MLIR's ExecutionEngine, then the runtime's Model over the result.
#include "compiler/Driver/Jit.h"
#include "compiler/Driver/Driver.h"
#include "compiler/Passes.h"
#include "compiler/Registration.h"
#include "compiler/Target/CPU/Codegen.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/Error.h"
#include "frontend/HookBinding.h"
#include "frontend/ModelFile.h"
#include "frontend/Module.h"
#include "runtime/Parallel.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include <nlohmann/json.hpp>
#include "mlir/ExecutionEngine/OptUtils.h"

namespace nncc {

CompiledModel::~CompiledModel() = default;

std::vector<const void *> bindInputs(const std::string &model, const char *entry,
                                     const std::vector<rt::TensorInfo> &specs,
                                     const std::vector<Tensor> &inputs,
                                     std::vector<std::vector<int64_t>> &indices) {
  if (inputs.size() != specs.size())
    throw Error(model + ": " + entry + " takes " + std::to_string(specs.size()) + " inputs, got " +
                std::to_string(inputs.size()));
  std::vector<const void *> in;
  indices.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].shape() != specs[i].shape)
      throw Error(model + ": " + (entry == std::string("forward") ? "" : entry + std::string(" ")) +
                  "input '" + specs[i].name + "' has shape " +
                  ir::formatDims(inputs[i].shape()) + ", the model expects " +
                  ir::formatDims(specs[i].shape));
    if (specs[i].dtype != "i64") {
      in.push_back(inputs[i].data());
      continue;
    }
    indices.emplace_back(inputs[i].data(), inputs[i].data() + inputs[i].numel());
    in.push_back(indices.back().data());
  }
  return in;
}

std::vector<rt::WeightView> weightViewsOf(const StateDict &weights) {
  std::vector<rt::WeightView> views;
  for (const auto &[key, tensor] : weights)
    views.push_back({key, tensor.shape(), tensor.data()});
  return views;
}

namespace {

void check(const rt::Status &s) {
  if (!s.ok())
    throw Error(s.message());
}

} // namespace

std::vector<Tensor> CompiledModel::forward(const std::vector<Tensor> &inputs) {
  std::vector<std::vector<int64_t>> indices;
  auto in = bindInputs(model_->name(), "forward", model_->inputs(), inputs, indices);
  std::vector<Tensor> outputs;
  std::vector<float *> out;
  for (const rt::TensorInfo &o : model_->outputs()) {
    outputs.push_back(Tensor::empty(o.shape));
    out.push_back(outputs.back().data());
  }
  check(model_->forward(in.data(), out.data()));
  return outputs;
}

void CompiledModel::backward(const std::vector<Tensor> &inputs,
                             const std::vector<Tensor> &grad_outputs, rt::GradMode mode) {
  const auto *specs = model_->entry_inputs("backward");
  if (!specs)
    check(model_->backward(nullptr, mode));
  std::vector<Tensor> all = inputs;
  all.insert(all.end(), grad_outputs.begin(), grad_outputs.end());
  std::vector<std::vector<int64_t>> indices;
  auto in = bindInputs(model_->name(), "backward", *specs, all, indices);
  check(model_->backward(in.data(), mode));
}

Tensor CompiledModel::train_step(const std::vector<Tensor> &inputs, const Tensor &target) {
  const auto *specs = model_->entry_inputs("train_step");
  float loss = 0;
  if (!specs)
    check(model_->train_step(nullptr, &loss));
  std::vector<Tensor> all = inputs;
  all.push_back(target);
  std::vector<std::vector<int64_t>> indices;
  auto in = bindInputs(model_->name(), "train_step", *specs, all, indices);
  check(model_->train_step(in.data(), &loss));
  return Tensor::fromVector({}, {loss});
}

Tensor CompiledModel::grad(const std::string &name) const {
  const float *data = model_->grad(name);
  if (!data)
    throw Error(model_->name() + ": no gradient for '" + name +
                "' (not a trainable parameter, or compiled without backward)");
  for (const rt::StateTensor &t : model_->state())
    if (t.name == name) {
      Tensor copy = Tensor::empty(t.shape);
      std::copy(data, data + copy.numel(), copy.data());
      return copy;
    }
  throw Error(model_->name() + ": no parameter '" + name + "'");
}

StateDict CompiledModel::state_dict() const {
  StateDict dict;
  for (const rt::StateTensor &t : model_->state())
    if (t.persistent) {
      Tensor copy = Tensor::empty(t.shape);
      std::copy(t.data, t.data + copy.numel(), copy.data());
      dict.insert(t.name, copy);
    }
  return dict;
}

std::unique_ptr<CompiledModel> compileJit(mlir::ModuleOp module, const StateDict &weights,
                                          const std::string &name, bool train,
                                          const JitOptions &jit) {
  checkWeights(module, weights, name);
  mlir::DialectRegistry registry;
  registerDialects(registry);
  module.getContext()->appendDialectRegistry(registry);
  std::string error;
  auto tm = createTargetMachine(CodegenOptions(), error);
  if (!tm)
    throw Error(error);
  CpuPipelineOptions options;
  options.modelName = name;
  options.train = train;
  options.hookPoints = jit.hookPoints;
  options.stripHooks = jit.stripHooks;
  options.fusion = jit.fusion;
  options.vectorBits = vectorBitsOf(*tm);
  options.isa = isaOf(*tm);
  runCpuPipeline(module, options);
  std::string manifest = module->getAttrOfType<mlir::StringAttr>(kManifestAttr).str();
  auto transformer = mlir::makeOptimizingTransformer(3, 0, tm.get());
  mlir::ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = mlir::ExecutionEngine::create(module, engineOptions, std::move(tm));
  if (!engine)
    throw Error(name + ": JIT compilation failed: " + llvm::toString(engine.takeError()));
  // The compiled code's runtime calls, resolved to this process's runtime library.
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner(kParallelForSymbol)] = {llvm::orc::ExecutorAddr::fromPtr(&nncc_rt_parallel_for),
                                             llvm::JITSymbolFlags::Exported};
    symbols[interner(kHookSymbol)] = {llvm::orc::ExecutorAddr::fromPtr(&nncc_rt_hook),
                                      llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  std::map<std::string, rt::EntryFn> entries;
  nlohmann::json parsed = nlohmann::json::parse(manifest);
  for (const auto &entry : parsed["entries"]) {
    std::string symbolName = entry["symbol"];
    auto symbol = (*engine)->lookup(symbolName);
    if (!symbol)
      throw Error(name + ": JIT has no entry " + symbolName + ": " +
                  llvm::toString(symbol.takeError()));
    entries[entry["name"].get<std::string>()] = reinterpret_cast<rt::EntryFn>(*symbol);
  }

  std::unique_ptr<CompiledModel> compiled(new CompiledModel());
  compiled->engine_ = std::move(*engine);
  check(rt::Model::create(manifest, entries, weightViewsOf(weights), &compiled->model_));
  return compiled;
}

/// The module's current parameters and buffers, as weights.
static StateDict weightsOf(nn::Module &module) {
  StateDict weights;
  for (auto &[key, t] : module.named_parameters())
    if (t.defined())
      weights.insert(key, t);
  for (auto &[key, t] : module.named_buffers())
    if (t.defined())
      weights.insert(key, t);
  return weights;
}

std::unique_ptr<CompiledModel> compile(nn::Module &module, const std::vector<InputSpec> &inputs,
                                       const ForwardBody &body, const std::string &hookPoints) {
  TracedModel traced = trace(module, inputs, body, hookPoints);
  auto compiled = compileJit(*traced.module, weightsOf(module), symbolName(module.name()));
  nn::bindModuleHooks(module, compiled->runtime().hooks());
  return compiled;
}

std::unique_ptr<CompiledModel> compileTraining(nn::Module &module, const TrainingSpec &spec) {
  TracedModel traced = traceTraining(module, spec);
  auto compiled =
      compileJit(*traced.module, weightsOf(module), symbolName(module.name()), /*train=*/true);
  nn::bindModuleHooks(module, compiled->runtime().hooks());
  return compiled;
}

} // namespace nncc
