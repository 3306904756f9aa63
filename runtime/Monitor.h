// Monitor: activation and gradient statistics per module and step, through hook points.
//
// What people write by hand around forward and backward hooks: per module and step, the mean,
// std (unbiased), min, max, L2 norm, fraction of zeros and NaN/Inf counts of each activation
// (forward hook points) and each gradient (backward and parameter-gradient hook points). It
// warns on NaN/Inf, on gradients whose L2 norm exceeds a threshold, and on dead ReLUs (a
// ReLU-family output with at least `dead_fraction` zeros), prints the top-k table and writes
// CSV. It watches modules by path pattern, by class, or both. Detached, it has no callbacks, so
// hook points call nothing.
#pragma once

#include "runtime/Hooks.h"
#include "runtime/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nncc::rt {

struct MonitorOptions {
  /// Module paths (and parameter keys, for gradients) to watch: shell globs.
  std::vector<std::string> patterns{"*"};
  /// When not empty, only modules of these classes ("ReLU", "Conv2d"); parameter gradients,
  /// which have no class, are then left out.
  std::vector<std::string> module_classes;
  bool activations = true;
  bool gradients = true;
  /// A gradient whose L2 norm is above this is reported as exploding.
  double exploding_gradient = 1e3;
  /// A ReLU-family output with at least this fraction of zeros is reported as dead.
  double dead_fraction = 0.98;
};

/// Statistics of one tensor at one hook point.
struct TensorStats {
  int64_t step = 0;
  std::string path;
  std::string module_class;
  /// "activation" (forward output), "input" (forward pre), "grad_output" (backward pre),
  /// "grad_input" (backward) or "param_grad".
  std::string what;
  int64_t numel = 0;
  double mean = 0, std = 0, min = 0, max = 0, l2 = 0, zero_fraction = 0;
  int64_t nan = 0, inf = 0;
};

/// The statistics of `n` floats at `data`. NaN and Inf are counted and left out of the rest.
TensorStats computeStats(const float *data, int64_t n);

class Monitor {
public:
  explicit Monitor(MonitorOptions options = {});
  ~Monitor();
  Monitor(const Monitor &) = delete;
  Monitor &operator=(const Monitor &) = delete;

  /// Attaches to `hooks` (a compiled model's, or the interpreter's); detaches from any other.
  void attach(Hooks &hooks);
  /// Removes every callback this monitor attached.
  void detach();
  bool attached() const { return hooks_ != nullptr; }
  /// Starts the next step: later records carry step() + 1.
  void next_step() { ++step_; }
  int64_t step() const { return step_; }

  const std::vector<TensorStats> &records() const { return records_; }
  /// One line per problem seen, in the order seen.
  const std::vector<std::string> &warnings() const { return warnings_; }
  /// The `k` records of the latest step with the largest L2 norm, as an aligned table.
  std::string table(size_t k = 20) const;
  /// Every record, one CSV row each, with a header.
  Status write_csv(const std::string &path) const;
  void clear();

private:
  void record(const HookEvent &event);

  MonitorOptions options_;
  Hooks *hooks_ = nullptr;
  std::vector<HookHandle> handles_;
  std::vector<TensorStats> records_;
  std::vector<std::string> warnings_;
  int64_t step_ = 0;
};

} // namespace nncc::rt
