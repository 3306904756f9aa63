// The recorder: turns calls on SymTensors into nn dialect ops, with module paths as locations.
#pragma once

#include "frontend/SymTensor.h"
#include "frontend/Tensor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace nncc {
namespace nn {
class Module;
}

/// A named, statically shaped input of a model's forward.
struct InputSpec {
  std::string name;
  Shape shape;
  DType dtype = DType::f32;
};

/// One module call seen while recording: its path, class and output shape.
struct ModuleCall {
  std::string path;
  std::string className;
  Shape outputShape;
};

/// Records one forward of a module tree into a func.func of an MLIR module.
/// Parameters and buffers of the tree are declared as nn.parameter/nn.buffer
/// symbols named by their state_dict keys. Only one Recorder is active per
/// thread; it is active for the duration of Recorder::record.
class Recorder {
public:
  Recorder(nn::Module &root, mlir::ModuleOp module);
  ~Recorder();
  Recorder(const Recorder &) = delete;
  Recorder &operator=(const Recorder &) = delete;

  /// What a forward computes from its symbolic inputs.
  using Body = std::function<std::vector<SymTensor>(const std::vector<SymTensor> &)>;

  /// Records `body(inputs)` as `func.func @<funcName>`; an empty body means
  /// `root(input)` on a single input.
  void record(const std::string &funcName, const std::vector<InputSpec> &inputs,
              const Body &body = nullptr);

  /// The recorder of this thread, or null outside record().
  static Recorder *active();

  /// Reads a registered parameter or buffer (an nn.get, made once per key).
  SymTensor read(const Tensor &tensor);
  /// Records `buffer = value` (nn.assign), as a train-mode forward updates
  /// running statistics; later reads of the buffer in this forward see
  /// `value`. Throws unless `buffer` is a registered buffer of the model.
  void assign(const Tensor &buffer, const SymTensor &value);
  /// The builder, positioned where the next op of the forward goes.
  mlir::OpBuilder &builder() { return builder_; }
  mlir::Location location();
  /// The current module path ("" for the root) and class, for messages.
  std::string where() const;
  /// Throws nncc::Error("<path> (<Class>): <op>: <message>").
  [[noreturn]] void fail(const std::string &op, const std::string &message) const;

  /// Module::operator(): runs `module.forward(input)` under its path.
  SymTensor call(nn::Module &module, const SymTensor &input);
  /// Enters and leaves `module`'s path (nn::CallScope); leave records the
  /// call with its first output's shape.
  void enter(const nn::Module &module);
  void leave(const Shape &outputShape);

  const std::vector<ModuleCall> &calls() const { return calls_; }

  /// Also records hook points, of every kind, at the modules and parameters whose path matches
  /// this glob (none when empty). Modules with registered hooks get hook points regardless.
  void setHookPoints(const std::string &glob) { hookPoints_ = glob; }

private:
  /// Which hook points a call of `module` at `path` gets.
  struct HookPlan {
    bool forwardPre = false, forward = false, backwardPre = false, backward = false;
  };
  HookPlan hookPlan(const nn::Module &module, const std::string &path) const;
  /// Whether the hook-point glob names `path` (a module path or a parameter key).
  bool wantsHookPoints(const std::string &path) const;
  /// `value` through an nn.hook (or, for gradient kinds, nn.grad_hook) at the current location.
  SymTensor hookPoint(const char *kind, const std::string &path, const SymTensor &value,
                      const SymTensor &moduleInput = SymTensor());

  nn::Module &root_;
  mlir::ModuleOp module_;
  mlir::OpBuilder builder_;
  std::map<const nn::Module *, std::string> paths_;
  std::map<const void *, std::string> stateKeys_;
  /// Uninitialized parameters of lazy modules, declared once materialized.
  std::map<const void *, std::string> lazyKeys_;
  std::map<std::string, mlir::Value> reads_;
  mlir::Operation *lastRead_ = nullptr;
  std::vector<const nn::Module *> stack_;
  std::vector<ModuleCall> calls_;
  std::string hookPoints_;
  Recorder *previous_ = nullptr;
};

/// The MLIR type of a recorded tensor.
mlir::RankedTensorType tensorTypeOf(mlir::MLIRContext *ctx, const Shape &shape,
                                    DType dtype = DType::f32);

} // namespace nncc
