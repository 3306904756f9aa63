// The `nncc` command line: compile, run and inspect, over the driver library.
#pragma once

namespace nncc {

/// Parses the command line and runs one command. Every failure prints one
/// line "nncc: error: ..." to stderr and returns non-zero.
int nnccMain(int argc, char **argv);

} // namespace nncc
