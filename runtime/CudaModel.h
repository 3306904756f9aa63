// The CUDA runtime's model: an artifact of `nncc compile --target=cuda` (its .cuda.json, kernel
// images and weights) on a CudaDevice, with the CPU Model's entry points.
//
// - One device allocation per model: each parameter and buffer once, the update slots, the
//   arena, staging slots for the inputs and outputs (runtime/Layout.h), and the plan's scratch
//   workspace (a convolution's im2col columns). Weights are uploaded
//   once; a call uploads its inputs, runs the plan's kernels and GEMMs on the device's stream,
//   applies the updates on the device and downloads the outputs.
// - Errors come back as rt::Status in one line naming the model, entry or tensor; a device
//   failure names the kernel or GEMM and the module paths it computes.
// - Not safe to call from two threads at once; the arena holds the call in flight.
// - Hooks: at a hook point with callbacks attached, the call waits for the device, copies the
//   tapped tensor (and a forward hook's module input) to the host, runs the callbacks there
//   (runtime/Hooks.h) and copies the tensor back, so a callback may replace it. A hook point
//   without callbacks costs nothing on the device.
#pragma once

#include "runtime/CudaDevice.h"
#include "runtime/CudaPlan.h"
#include "runtime/Hooks.h"
#include "runtime/Layout.h"
#include "runtime/Model.h"
#include "runtime/Status.h"

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nncc::rt {

class CudaModel {
public:
  ~CudaModel();
  CudaModel(const CudaModel &) = delete;
  CudaModel &operator=(const CudaModel &) = delete;

  /// Builds a model on `device` from the artifact's description (the .cuda.json: "manifest" and
  /// "plan") and the weights, keyed by state_dict name (see Model::create for which must be there).
  static Status create(const std::string &descriptionJson, const std::vector<WeightView> &weights,
                       std::unique_ptr<CudaDevice> device, std::unique_ptr<CudaModel> *out);
  /// Opens cuda:`device` through the driver, loads the image of `images` (by architecture, see
  /// CudaDriver::pickImage) that fits it, and creates the model there. Without a driver or a GPU
  /// the error is "no CUDA device: ...".
  static Status open(const std::string &descriptionJson, const std::map<std::string, std::string> &images,
                     const std::vector<WeightView> &weights, int device, std::unique_ptr<CudaModel> *out);
  /// Reads the artifact `path` (a .cuda.json) and the kernel images and weights it names, and
  /// opens it on cuda:`device` as open() does.
  static Status load(const std::string &path, int device, std::unique_ptr<CudaModel> *out);

  const std::string &name() const { return layout_.model; }
  std::string device() const { return device_->describe(); }
  const std::vector<TensorInfo> &inputs() const { return entries_.at("forward").inputs; }
  const std::vector<TensorInfo> &outputs() const { return entries_.at("forward").outputs; }
  bool has_entry(const std::string &entry) const { return entries_.count(entry) != 0; }
  const std::vector<TensorInfo> *entry_inputs(const std::string &entry) const;
  const std::vector<TensorInfo> *entry_outputs(const std::string &entry) const;

  /// As Model::forward, backward and train_step; host pointers in and out.
  Status forward(const void *const *inputs, float *const *outputs);
  Status backward(const void *const *inputs, GradMode mode = GradMode::Accumulate);
  Status train_step(const void *const *inputs, float *loss);
  Status zero_grad();

  /// The callbacks the model's hook points call.
  Hooks &hooks() { return hooks_; }
  /// The hook points compiled into the model, by site number.
  const std::vector<HookSite> &hook_sites() const { return sites_.sites(); }

  /// Every parameter and buffer, in the manifest's order (offsets are into the device block).
  const std::vector<StateSlot> &state() const { return layout_.state; }
  /// Copies the current value of parameter or buffer `name` ("grad.<name>" for a gradient) into
  /// `out`, which has room for its elements.
  Status read(const std::string &name, float *out) const;
  /// Writes the parameters and persistent buffers as a safetensors file with PyTorch's keys.
  Status save_state_dict(const std::string &path) const;

private:
  struct Entry {
    std::vector<TensorInfo> inputs, outputs;
    /// Every argument's device address, in the manifest's order, then the workspace's.
    std::vector<DevicePtr> args;
    std::vector<size_t> inputSlots, outputSlots;
    /// (state, update slot, bytes): copied after each call.
    std::vector<std::array<size_t, 3>> updates;
    const std::vector<PlanStep> *steps = nullptr;
  };
  CudaModel() = default;
  Status call(const std::string &entry, const void *const *inputs, void *const *outputs);
  Status run(const std::string &entry, const Entry &e);
  /// Runs hook point `h`'s callbacks on host copies of its tensors.
  Status runHook(const std::string &entry, const Entry &e, const HookStep &h);

  Layout layout_;
  CudaPlan plan_;
  std::map<std::string, Entry> entries_;
  std::unique_ptr<CudaDevice> device_;
  DevicePtr block_ = 0;
  Hooks hooks_;
  HookSites sites_;
  /// Per hook point, host copies of its tensor and module input, made once.
  std::vector<std::vector<float>> hookTensors_, hookInputs_;
};

} // namespace nncc::rt
