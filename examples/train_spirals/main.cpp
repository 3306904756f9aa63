// Trains the AOT-compiled spiral classifier from a plain C++ program: only the nncc runtime is
// linked. Three interleaved spirals are generated here (no downloads); each epoch prints the
// mean loss, the accuracy on a held-out set and the training throughput, and the trained weights
// are written as a PyTorch-compatible state_dict.
#include "spirals.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr int kBatch = 64, kClasses = 3;

struct Dataset {
  std::vector<float> points;
  std::vector<int64_t> labels;
  int size() const { return static_cast<int>(labels.size()); }
};

/// `perClass` points on each of three spiral arms, with Gaussian noise.
Dataset spirals(int perClass, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.08f);
  Dataset d;
  for (int i = 0; i < perClass; ++i)
    for (int c = 0; c < kClasses; ++c) {
      float r = static_cast<float>(i + 1) / perClass;
      float t = 4.0f * r + 2.0943951f * c;
      d.points.push_back(r * std::sin(t) + noise(rng));
      d.points.push_back(r * std::cos(t) + noise(rng));
      d.labels.push_back(c);
    }
  // Shuffle so that every batch holds every class.
  for (int i = d.size() - 1; i > 0; --i) {
    int j = static_cast<int>(rng() % (i + 1));
    std::swap(d.labels[i], d.labels[j]);
    std::swap(d.points[2 * i], d.points[2 * j]);
    std::swap(d.points[2 * i + 1], d.points[2 * j + 1]);
  }
  return d;
}

bool check(const nncc::rt::Status &s) {
  if (!s.ok())
    std::fprintf(stderr, "train_spirals: %s\n", s.message().c_str());
  return s.ok();
}

/// The fraction of `d` classified correctly by the compiled forward.
bool accuracy(nncc_models::Spirals &model, const Dataset &d, double *out) {
  int correct = 0;
  float logits[kBatch * kClasses];
  for (int b = 0; b + kBatch <= d.size(); b += kBatch) {
    if (!check(model.forward(&d.points[2 * b], logits)))
      return false;
    for (int i = 0; i < kBatch; ++i) {
      int best = 0;
      for (int k = 1; k < kClasses; ++k)
        if (logits[i * kClasses + k] > logits[i * kClasses + best])
          best = k;
      correct += best == d.labels[b + i];
    }
  }
  *out = static_cast<double>(correct) / (d.size() / kBatch * kBatch);
  return true;
}

} // namespace

int main(int argc, char **argv) {
  int epochs = 40;
  bool verify = false;
  std::string out = "spirals.safetensors";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--epochs") && i + 1 < argc)
      epochs = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--check"))
      verify = true;
    else if (!std::strcmp(argv[i], "--out") && i + 1 < argc)
      out = argv[++i];
    else {
      std::fprintf(stderr, "usage: train_spirals [--epochs N] [--out FILE] [--check]\n");
      return 2;
    }
  }
  std::unique_ptr<nncc_models::Spirals> model;
  if (!check(nncc_models::Spirals::create(&model)))
    return 1;
  Dataset train = spirals(512, 1), test = spirals(128, 2);
  std::printf("spiral classifier 2-64-64-3, cross-entropy, SGD(lr=0.1, momentum=0.9), batch %d\n",
              kBatch);
  double firstLoss = 0, lastLoss = 0, acc = 0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    auto start = std::chrono::steady_clock::now();
    double total = 0;
    int steps = 0;
    for (int b = 0; b + kBatch <= train.size(); b += kBatch, ++steps) {
      float loss = 0;
      if (!check(model->train_step(&train.points[2 * b], &train.labels[b], &loss)))
        return 1;
      total += loss;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!accuracy(*model, test, &acc))
      return 1;
    lastLoss = total / steps;
    if (epoch == 1)
      firstLoss = lastLoss;
    std::printf("epoch %3d/%d  loss %.4f  accuracy %5.1f%%  %.0f samples/s\n", epoch, epochs,
                lastLoss, 100 * acc, steps * kBatch / seconds);
  }
  if (!check(model->save_state_dict(out)))
    return 1;
  std::printf("weights written to %s (PyTorch state_dict keys)\n", out.c_str());
  if (verify && !(lastLoss < 0.5 * firstLoss && acc > 0.9)) {
    std::fprintf(stderr, "train_spirals: training did not converge: loss %.4f -> %.4f, accuracy %.1f%%\n",
                 firstLoss, lastLoss, 100 * acc);
    return 1;
  }
  return 0;
}
