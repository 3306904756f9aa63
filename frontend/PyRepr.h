// Python's repr of numbers and tuples, for printing modules exactly as PyTorch does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nncc {

/// repr(float): the shortest round-trip digits, scientific below 1e-4 or
/// from 1e16 ("1e-05", "0.1", "1.0", "inf", "nan").
std::string pyFloat(double value);

/// repr(tuple) of ints: "(3, 3)", "(64,)".
std::string pyTuple(const std::vector<int64_t> &values);

} // namespace nncc
