#!/usr/bin/env bash
# Checks that an embedded model needs no MLIR or LLVM: the runtime library references neither,
# the demo binary does not load them, and the compiled object calls no allocator.
set -euo pipefail
runtime_lib=$1 demo=$2 object=$3
status=0
if nm -C "$runtime_lib" | grep -E '(mlir|llvm)::' >/dev/null; then
  echo "error: $runtime_lib references MLIR or LLVM:"; nm -C "$runtime_lib" | grep -E '(mlir|llvm)::' | head -5
  status=1
fi
if ldd "$demo" | grep -E 'libMLIR|libLLVM' >/dev/null; then
  echo "error: $demo loads MLIR or LLVM:"; ldd "$demo" | grep -E 'libMLIR|libLLVM'
  status=1
fi
if nm --undefined-only "$object" | grep -E '\b(malloc|calloc|realloc|free|_Znwm|_Znam)\b' >/dev/null; then
  echo "error: $object calls an allocator:"; nm --undefined-only "$object"
  status=1
fi
defined=$(nm --defined-only --extern-only "$object" | awk '{print $3}' | sort | tr '\n' ' ')
echo "exported by $object: $defined"
[ "$status" -eq 0 ] && echo "ok: the runtime and the artifact are free of MLIR, LLVM and allocation"
exit $status
