// Recording a Module tree's forward into the nn dialect.
#include "frontend/Recorder.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/Error.h"
#include "frontend/Module.h"

#include "runtime/Hooks.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace nncc {

namespace {
thread_local Recorder *activeRecorder = nullptr;
}

mlir::RankedTensorType tensorTypeOf(mlir::MLIRContext *ctx, const Shape &shape, DType dtype) {
  mlir::Type element = dtype == DType::i64 ? mlir::Type(mlir::IntegerType::get(ctx, 64))
                                           : mlir::Type(mlir::Float32Type::get(ctx));
  return mlir::RankedTensorType::get(shape, element);
}

Recorder::Recorder(nn::Module &root, mlir::ModuleOp module)
    : root_(root), module_(module), builder_(module.getContext()) {
  for (auto &[path, m] : root.named_modules())
    paths_[m] = path;
  mlir::MLIRContext *ctx = module.getContext();
  builder_.setInsertionPointToEnd(module.getBody());
  module->setAttr(ir::kModelClassAttr, builder_.getStringAttr(root.name()));
  module->setAttr(ir::kTrainingAttr, builder_.getBoolAttr(root.is_training()));
  auto declLoc = [&](const std::string &key) { return mlir::NameLoc::get(builder_.getStringAttr(key)); };
  for (auto &[key, tensor] : root.named_parameters()) {
    if (!tensor.defined())
      continue;
    // A lazy module's parameter is declared when its forward materializes it.
    if (!tensor.is_initialized()) {
      lazyKeys_[tensor.id()] = key;
      continue;
    }
    stateKeys_[tensor.id()] = key;
    auto op = builder_.create<ir::ParameterOp>(declLoc(key), key, tensorTypeOf(ctx, tensor.shape()));
    op.setFrozen(!tensor.requires_grad());
  }
  // named_buffers() lists every buffer; the persistent flag lives on the owner.
  for (auto &[path, m] : root.named_modules())
    for (auto &[name, tensor] : m->named_buffers("", /*recurse=*/false)) {
      if (!tensor.defined() || stateKeys_.count(tensor.id()))
        continue;
      std::string key = path.empty() ? name : path + "." + name;
      stateKeys_[tensor.id()] = key;
      auto op = builder_.create<ir::BufferOp>(declLoc(key), key, tensorTypeOf(ctx, tensor.shape()));
      op.setNonPersistent(!m->is_persistent_buffer(name));
    }
}

Recorder::~Recorder() {
  if (activeRecorder == this)
    activeRecorder = previous_;
}

Recorder *Recorder::active() { return activeRecorder; }

void Recorder::record(const std::string &funcName, const std::vector<InputSpec> &inputs,
                      const Body &body) {
  if (!body && inputs.size() != 1)
    throw Error(root_.name() + ".forward takes one input, but " + std::to_string(inputs.size()) +
                " input specs were given");
  mlir::MLIRContext *ctx = module_.getContext();
  llvm::SmallVector<mlir::Type> argTypes;
  for (const InputSpec &in : inputs) {
    for (int64_t d : in.shape)
      if (d <= 0)
        throw Error("input '" + in.name + "' has shape " + ir::formatDims(in.shape) +
                    "; every dimension must be positive");
    argTypes.push_back(tensorTypeOf(ctx, in.shape, in.dtype));
  }
  builder_.setInsertionPointToEnd(module_.getBody());
  auto func = builder_.create<mlir::func::FuncOp>(
      mlir::NameLoc::get(builder_.getStringAttr(root_.name())), funcName,
      builder_.getFunctionType(argTypes, {}));
  mlir::Block *entry = func.addEntryBlock();
  for (size_t i = 0; i < inputs.size(); ++i)
    func.setArgAttr(i, "nn.name", builder_.getStringAttr(inputs[i].name));
  builder_.setInsertionPointToStart(entry);
  // Reads belong to one function.
  reads_.clear();
  lastRead_ = nullptr;

  previous_ = activeRecorder;
  activeRecorder = this;
  struct Restore {
    Recorder *self;
    ~Restore() { activeRecorder = self->previous_; }
  } restore{this};
  std::vector<SymTensor> args;
  for (size_t i = 0; i < inputs.size(); ++i)
    args.emplace_back(this, entry->getArgument(i).getAsOpaquePointer(), inputs[i].shape,
                      inputs[i].dtype == DType::i64);
  std::vector<SymTensor> outputs = body ? body(args) : std::vector<SymTensor>{call(root_, args[0])};
  llvm::SmallVector<mlir::Value> results;
  for (const SymTensor &output : outputs) {
    if (!output.defined())
      throw Error(root_.name() + ".forward returned no tensor");
    results.push_back(mlir::Value::getFromOpaquePointer(output.value()));
  }
  if (results.empty())
    throw Error(root_.name() + ".forward returned no tensor");
  builder_.create<mlir::func::ReturnOp>(location(), results);
  func.setType(builder_.getFunctionType(argTypes, mlir::ValueRange(results).getTypes()));
}

SymTensor Recorder::read(const Tensor &tensor) {
  if (auto lazy = lazyKeys_.find(tensor.id()); lazy != lazyKeys_.end() && tensor.is_initialized()) {
    mlir::OpBuilder::InsertionGuard guard(builder_);
    builder_.setInsertionPoint(*module_.getOps<mlir::func::FuncOp>().begin());
    auto op = builder_.create<ir::ParameterOp>(
        mlir::NameLoc::get(builder_.getStringAttr(lazy->second)), lazy->second,
        tensorTypeOf(module_.getContext(), tensor.shape()));
    op.setFrozen(!tensor.requires_grad());
    stateKeys_[tensor.id()] = lazy->second;
    lazyKeys_.erase(lazy);
  }
  auto key = stateKeys_.find(tensor.id());
  if (key == stateKeys_.end())
    fail("forward", "uses a tensor that is not a parameter or buffer of the recorded model; "
                    "register it with register_parameter or register_buffer");
  mlir::Value &value = reads_[key->second];
  if (!value) {
    // Reads go to the top of the function, in first-use order, so each is
    // made once and dominates every use.
    mlir::OpBuilder::InsertionGuard guard(builder_);
    if (lastRead_)
      builder_.setInsertionPointAfter(lastRead_);
    else
      builder_.setInsertionPointToStart(builder_.getInsertionBlock());
    auto loc = mlir::NameLoc::get(builder_.getStringAttr(key->second));
    auto get = builder_.create<ir::GetOp>(loc, tensorTypeOf(module_.getContext(), tensor.shape()),
                                          key->second);
    lastRead_ = get;
    value = get;
    // A trainable tensor with gradient hooks (or a hook-point pattern that names it) has its
    // gradient go through a hook point.
    if (tensor.requires_grad() && (tensor.grad_hooks() || wantsHookPoints(key->second))) {
      auto mark = builder_.create<ir::GradHookOp>(loc, value.getType(), "grad", key->second, value,
                                                  mlir::StringAttr());
      lastRead_ = mark;
      value = mark;
    }
  }
  return SymTensor(this, value.getAsOpaquePointer(), tensor.shape());
}

void Recorder::assign(const Tensor &buffer, const SymTensor &value) {
  auto key = stateKeys_.find(buffer.id());
  if (key == stateKeys_.end() || !module_.lookupSymbol<ir::BufferOp>(key->second))
    fail("assign", "only registered buffers of the recorded model can be updated");
  if (value.shape() != buffer.shape())
    fail("assign", "new value " + ir::formatDims(value.shape()) + " for '" + key->second +
                       "' does not match its shape " + ir::formatDims(buffer.shape()));
  builder_.create<ir::AssignOp>(location(), key->second,
                                mlir::Value::getFromOpaquePointer(value.value()));
  reads_[key->second] = mlir::Value::getFromOpaquePointer(value.value());
}

mlir::Location Recorder::location() {
  std::string path = stack_.empty() ? "" : paths_[stack_.back()];
  return mlir::NameLoc::get(builder_.getStringAttr(path.empty() ? "<root>" : path));
}

std::string Recorder::where() const {
  if (stack_.empty())
    return root_.name();
  auto it = paths_.find(stack_.back());
  std::string path = it == paths_.end() || it->second.empty() ? "<root>" : it->second;
  return path + " (" + stack_.back()->name() + ")";
}

void Recorder::fail(const std::string &op, const std::string &message) const {
  throw Error(where() + ": " + op + ": " + message);
}

void Recorder::enter(const nn::Module &module) {
  if (!paths_.count(&module))
    fail("call", module.name() + " is called in forward but is not registered in the model; "
                 "register it with register_module");
  stack_.push_back(&module);
}

void Recorder::leave(const Shape &outputShape) {
  const nn::Module *module = stack_.back();
  stack_.pop_back();
  calls_.push_back({paths_[module], module->name(), outputShape});
}

bool Recorder::wantsHookPoints(const std::string &path) const {
  return !hookPoints_.empty() && rt::pathMatches(hookPoints_, path);
}

Recorder::HookPlan Recorder::hookPlan(const nn::Module &module, const std::string &path) const {
  bool all = wantsHookPoints(path);
  const nn::HookStore &global = *nn::globalHooks(), &own = module.hooks();
  HookPlan plan;
  plan.forwardPre = all || !global.forward_pre.empty() || !own.forward_pre.empty();
  plan.forward = all || !global.forward.empty() || !own.forward.empty();
  plan.backward = all || !global.backward.empty() || !own.backward.empty();
  // Full backward hooks also see grad_output, which the backward_pre point captures.
  plan.backwardPre = plan.backward || !global.backward_pre.empty() || !own.backward_pre.empty();
  return plan;
}

SymTensor Recorder::hookPoint(const char *kind, const std::string &path, const SymTensor &value,
                              const SymTensor &moduleInput) {
  // Hook points tap f32 tensors; an Embedding's indices have none.
  if (value.is_index())
    return value;
  mlir::Value v = mlir::Value::getFromOpaquePointer(value.value());
  mlir::StringAttr className = builder_.getStringAttr(stack_.back()->name());
  mlir::Value result;
  if (llvm::StringRef(kind).starts_with("forward")) {
    mlir::Value in = moduleInput.defined() && !moduleInput.is_index()
                         ? mlir::Value::getFromOpaquePointer(moduleInput.value())
                         : mlir::Value();
    result = builder_.create<ir::HookOp>(location(), v.getType(), kind, path, v, in, className);
  } else {
    result = builder_.create<ir::GradHookOp>(location(), v.getType(), kind, path, v, className);
  }
  return SymTensor(this, result.getAsOpaquePointer(), value.shape());
}

SymTensor Recorder::call(nn::Module &module, const SymTensor &input) {
  enter(module);
  const std::string path = paths_[&module];
  HookPlan plan = hookPlan(module, path);
  SymTensor x = input;
  if (plan.forwardPre)
    x = hookPoint("forward_pre", path, x);
  if (plan.backward)
    x = hookPoint("backward", path, x);
  SymTensor output = module.forward(x);
  if (plan.forward)
    output = hookPoint("forward", path, output, x);
  if (plan.backwardPre)
    output = hookPoint("backward_pre", path, output);
  leave(output.shape());
  return output;
}

SymTensor::SymTensor(const Tensor &tensor) {
  if (!tensor.defined())
    return;
  Recorder *recorder = Recorder::active();
  if (!recorder)
    throw Error("a Tensor entered a forward outside recording; call the model through "
                "nncc::trace or nncc::compile");
  *this = recorder->read(tensor);
}

int64_t SymTensor::size(int64_t d) const {
  int64_t rank = dim();
  if (d < -rank || d >= rank)
    throw Error("Dimension out of range (expected to be in range of [" + std::to_string(-rank) +
                ", " + std::to_string(rank - 1) + "], but got " + std::to_string(d) + ")");
  return shape_[d < 0 ? d + rank : d];
}

int64_t SymTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape_)
    n *= d;
  return n;
}

} // namespace nncc

nncc::nn::CallScope::CallScope(const Module &module) : recorder_(Recorder::active()) {
  if (!recorder_)
    throw Error(module.name() + " was called outside recording; call the model through nncc::trace "
                                "or nncc::compile");
  recorder_->enter(module);
}

void nncc::nn::CallScope::done(const SymTensor &output) {
  if (recorder_) {
    recorder_->leave(output.shape());
    recorder_ = nullptr;
  }
}

nncc::nn::CallScope::~CallScope() {
  if (recorder_)
    recorder_->leave({});
}

nncc::SymTensor nncc::nn::Module::operator()(const SymTensor &input) {
  Recorder *recorder = input.recorder() ? input.recorder() : Recorder::active();
  if (!recorder)
    throw Error(name() + " was called outside recording; call the model through nncc::trace "
                         "or nncc::compile");
  return recorder->call(*this, input);
}
