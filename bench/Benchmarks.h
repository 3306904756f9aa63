// The benchmark families, each set up, checked and registered by one function.
//
// Each setUp* builds its workloads in nncc (compiled through the in-process JIT, compile time
// excluded from every timing) and in its reference, checks that they agree (Harness.h's
// checkClose, printing every diff), writes the peers' files into `dataDir` where it has any
// (Data.h), and registers its rows. It sets `ok` to false when a check failed; then nothing may
// be timed. It returns the fixtures its rows run on.
#pragma once

#include <memory>
#include <string>

namespace nncc::bench {

/// The models and buffers a family's registered rows point into. main keeps
/// them until the rows have run and destroys them before it returns: a
/// compiled model's JIT cannot be torn down once exit has destroyed LLVM's
/// own statics.
using Fixtures = std::shared_ptr<void>;

/// mlp_b1 ... encoder_b8 (Workloads.h): "<workload>/{nncc,libtorch}/threads:<n>".
Fixtures setUpForward(const std::string &dataDir, bool &ok);
/// mlp_train_b64: one SGD-momentum train step, "mlp_train_b64/{nncc,libtorch}/threads:<n>".
Fixtures setUpTrainStep(const std::string &dataDir, bool &ok);
/// C = A·B against the loaded BLAS: "gemm/<M>x<N>x<K>/{nncc,openblas}/threads:<n>", with a
/// `gflops` counter. The openblas rows exist only when LibTorch's BLAS is OpenBLAS.
Fixtures setUpGemm(bool &ok);
/// "fma_peak/threads:1": this core's fp32 FMA throughput, counter `gflops`.
void registerFmaPeak();

} // namespace nncc::bench
