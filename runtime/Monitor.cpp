// Monitor: one pass of statistics per tapped tensor, warnings, the table and the CSV.
#include "runtime/Monitor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

namespace nncc::rt {
namespace {

const char *whatOf(HookKind kind) {
  switch (kind) {
  case HookKind::ForwardPre:
    return "input";
  case HookKind::Forward:
    return "activation";
  case HookKind::BackwardPre:
    return "grad_output";
  case HookKind::Backward:
    return "grad_input";
  case HookKind::Grad:
    return "param_grad";
  }
  return "";
}

bool isGradient(HookKind kind) { return kind != HookKind::ForwardPre && kind != HookKind::Forward; }

/// "1.234e-05"-style fixed width numbers for the table and the CSV.
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string displayPath(const std::string &path) { return path.empty() ? "<root>" : path; }

} // namespace

TensorStats computeStats(const float *data, int64_t n) {
  TensorStats s;
  s.numel = n;
  double sum = 0, sumsq = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  int64_t finite = 0, zeros = 0;
  for (int64_t i = 0; i < n; ++i) {
    float v = data[i];
    if (std::isnan(v)) {
      ++s.nan;
      continue;
    }
    if (std::isinf(v)) {
      ++s.inf;
      continue;
    }
    ++finite;
    zeros += v == 0.0f;
    sum += v;
    sumsq += static_cast<double>(v) * v;
    lo = std::min(lo, static_cast<double>(v));
    hi = std::max(hi, static_cast<double>(v));
  }
  if (finite) {
    s.mean = sum / finite;
    s.min = lo;
    s.max = hi;
    s.l2 = std::sqrt(sumsq);
    s.zero_fraction = static_cast<double>(zeros) / n;
    if (finite > 1)
      s.std = std::sqrt(std::max(0.0, (sumsq - sum * s.mean) / (finite - 1)));
  }
  return s;
}

Monitor::Monitor(MonitorOptions options) : options_(std::move(options)) {}

Monitor::~Monitor() { detach(); }

void Monitor::attach(Hooks &hooks) {
  detach();
  hooks_ = &hooks;
  std::vector<HookKind> kinds;
  if (options_.activations)
    kinds.push_back(HookKind::Forward);
  if (options_.gradients)
    kinds.insert(kinds.end(), {HookKind::BackwardPre, HookKind::Backward, HookKind::Grad});
  for (const std::string &pattern : options_.patterns)
    for (HookKind kind : kinds)
      handles_.push_back(
          hooks.attach(pattern, kind, [this](const HookEvent &e) { record(e); }));
}

void Monitor::detach() {
  if (hooks_)
    for (HookHandle h : handles_)
      hooks_->remove(h);
  hooks_ = nullptr;
  handles_.clear();
}

void Monitor::clear() {
  records_.clear();
  warnings_.clear();
  step_ = 0;
}

void Monitor::record(const HookEvent &event) {
  const auto &classes = options_.module_classes;
  if (!classes.empty() &&
      std::find(classes.begin(), classes.end(), event.moduleClass) == classes.end())
    return;
  TensorStats s = computeStats(event.tensor.data, event.tensor.numel());
  s.step = step_;
  s.path = event.path;
  s.module_class = event.moduleClass;
  s.what = whatOf(event.kind);
  std::string where = "step " + std::to_string(s.step) + ": " + displayPath(s.path) +
                      (s.module_class.empty() ? "" : " (" + s.module_class + ")") + " " + s.what;
  if (s.nan || s.inf)
    warnings_.push_back(where + " has " + std::to_string(s.nan) + " NaN and " +
                        std::to_string(s.inf) + " Inf of " + std::to_string(s.numel) + " values");
  if (isGradient(event.kind) && s.l2 > options_.exploding_gradient)
    warnings_.push_back(where + " is exploding: L2 norm " + number(s.l2) + " > " +
                        number(options_.exploding_gradient));
  if (event.kind == HookKind::Forward && s.module_class.find("ReLU") != std::string::npos &&
      s.zero_fraction >= options_.dead_fraction)
    warnings_.push_back(where + " is dead: " + number(100 * s.zero_fraction) + "% zeros");
  records_.push_back(std::move(s));
}

std::string Monitor::table(size_t k) const {
  std::vector<const TensorStats *> latest;
  for (const TensorStats &s : records_)
    if (s.step == step_)
      latest.push_back(&s);
  std::stable_sort(latest.begin(), latest.end(),
                   [](const TensorStats *a, const TensorStats *b) { return a->l2 > b->l2; });
  if (latest.size() > k)
    latest.resize(k);
  std::vector<std::vector<std::string>> rows{
      {"module", "class", "tensor", "mean", "std", "min", "max", "l2", "zeros", "nan", "inf"}};
  for (const TensorStats *s : latest)
    rows.push_back({displayPath(s->path), s->module_class, s->what, number(s->mean),
                    number(s->std), number(s->min), number(s->max), number(s->l2),
                    number(100 * s->zero_fraction) + "%", std::to_string(s->nan),
                    std::to_string(s->inf)});
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto &row : rows)
    for (size_t c = 0; c < row.size(); ++c)
      width[c] = std::max(width[c], row[c].size());
  std::ostringstream out;
  out << "monitor: step " << step_ << ", top " << latest.size() << " by L2 norm\n";
  for (const auto &row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      // Names left-aligned, numbers right-aligned.
      std::string pad(width[c] - row[c].size(), ' ');
      out << (c ? "  " : "") << (c < 3 ? row[c] + pad : pad + row[c]);
    }
    out << "\n";
  }
  return out.str();
}

Status Monitor::write_csv(const std::string &path) const {
  std::ofstream out(path);
  if (!out)
    return Status::Error(path + ": cannot open for writing");
  out << "step,module,class,tensor,numel,mean,std,min,max,l2,zero_fraction,nan,inf\n";
  for (const TensorStats &s : records_)
    out << s.step << "," << displayPath(s.path) << "," << s.module_class << "," << s.what << ","
        << s.numel << "," << number(s.mean) << "," << number(s.std) << "," << number(s.min)
        << "," << number(s.max) << "," << number(s.l2) << "," << number(s.zero_fraction) << ","
        << s.nan << "," << s.inf << "\n";
  if (!out)
    return Status::Error(path + ": write failed");
  return Status::Ok();
}

} // namespace nncc::rt
