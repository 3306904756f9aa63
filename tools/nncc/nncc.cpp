// nncc: the compiler's command line (compile, run, inspect); the logic is in compiler/Driver.
#include "compiler/Driver/NnccMain.h"

int main(int argc, char **argv) { return nncc::nnccMain(argc, argv); }
