// The JIT: the CPU pipeline, then MLIR's ExecutionEngine, then the runtime's Model over the result.
#include "compiler/Driver/Jit.h"
#include "compiler/Driver/Driver.h"
#include "compiler/Passes.h"
#include "compiler/Registration.h"
#include "compiler/Target/CPU/Codegen.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/Error.h"
#include "frontend/ModelFile.h"
#include "frontend/Module.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"

namespace nncc {

CompiledModel::~CompiledModel() = default;

std::vector<Tensor> CompiledModel::forward(const std::vector<Tensor> &inputs) {
  const auto &specs = model_->inputs();
  if (inputs.size() != specs.size())
    throw Error(model_->name() + ": forward takes " + std::to_string(specs.size()) +
                " inputs, got " + std::to_string(inputs.size()));
  std::vector<const void *> in;
  // Index inputs arrive as f32 Tensors holding integers; the code reads int64.
  std::vector<std::vector<int64_t>> indices;
  indices.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].shape() != specs[i].shape)
      throw Error(model_->name() + ": input '" + specs[i].name + "' has shape " +
                  ir::formatDims(inputs[i].shape()) + ", the model expects " +
                  ir::formatDims(specs[i].shape));
    if (specs[i].dtype != "i64") {
      in.push_back(inputs[i].data());
      continue;
    }
    indices.emplace_back(inputs[i].data(), inputs[i].data() + inputs[i].numel());
    in.push_back(indices.back().data());
  }
  std::vector<Tensor> outputs;
  std::vector<float *> out;
  for (const rt::TensorInfo &o : model_->outputs()) {
    outputs.push_back(Tensor::empty(o.shape));
    out.push_back(outputs.back().data());
  }
  if (rt::Status s = model_->forward(in.data(), out.data()); !s.ok())
    throw Error(s.message());
  return outputs;
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
                                          const std::string &name) {
  checkWeights(module, weights, name);
  mlir::DialectRegistry registry;
  registerDialects(registry);
  module.getContext()->appendDialectRegistry(registry);
  CpuPipelineOptions options;
  options.modelName = name;
  runCpuPipeline(module, options);
  std::string manifest = module->getAttrOfType<mlir::StringAttr>(kManifestAttr).str();

  std::string error;
  auto tm = createTargetMachine(CodegenOptions(), error);
  if (!tm)
    throw Error(error);
  auto transformer = mlir::makeOptimizingTransformer(3, 0, tm.get());
  mlir::ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = mlir::ExecutionEngine::create(module, engineOptions, std::move(tm));
  if (!engine)
    throw Error(name + ": JIT compilation failed: " + llvm::toString(engine.takeError()));
  auto symbol = (*engine)->lookup("nncc_" + name + "_forward");
  if (!symbol)
    throw Error(name + ": JIT has no forward entry: " + llvm::toString(symbol.takeError()));

  std::unique_ptr<CompiledModel> compiled(new CompiledModel());
  compiled->engine_ = std::move(*engine);
  std::vector<rt::WeightView> views;
  for (const auto &[key, tensor] : weights)
    views.push_back({key, tensor.shape(), tensor.data()});
  auto fn = reinterpret_cast<rt::EntryFn>(*symbol);
  if (rt::Status s = rt::Model::create(manifest, {{"forward", fn}}, views, &compiled->model_); !s.ok())
    throw Error(s.message());
  return compiled;
}

std::unique_ptr<CompiledModel> compile(nn::Module &module, const std::vector<InputSpec> &inputs,
                                       const ForwardBody &body) {
  TracedModel traced = trace(module, inputs, body);
  StateDict weights;
  for (auto &[key, t] : module.named_parameters())
    if (t.defined())
      weights.insert(key, t);
  for (auto &[key, t] : module.named_buffers())
    if (t.defined())
      weights.insert(key, t);
  return compileJit(*traced.module, weights, symbolName(module.name()));
}

} // namespace nncc
