// The CPU features an artifact may require, and the check that this CPU has them: an artifact
// built for AVX-512 gives a clear error on an AVX2-only machine instead of SIGILL.
#pragma once

#include "runtime/Status.h"

#include <string>
#include <vector>

namespace nncc::rt {

/// The x86 features the compiler records in a manifest's "isa" (LLVM's names for them).
const std::vector<const char *> &knownIsaFeatures();

/// Ok when this CPU has every feature in `isa`; else an error naming the model and the first
/// missing feature. A feature this runtime does not know is an error too.
Status checkIsa(const std::string &model, const std::vector<std::string> &isa);

} // namespace nncc::rt
