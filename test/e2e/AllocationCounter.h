// Counts every operator new in a test binary, to show that steady-state calls allocate nothing.
// Replacing the global operators is per binary: include this in exactly one file of it.
#pragma once

#include <atomic>
#include <cstdlib>
#include <new>

namespace nncc::testing {
/// How many times operator new has run in this binary.
inline std::atomic<long> allocations{0};
} // namespace nncc::testing

void *operator new(std::size_t size) {
  ++nncc::testing::allocations;
  if (void *p = std::malloc(size ? size : 1))
    return p;
  throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
