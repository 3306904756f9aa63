#!/usr/bin/env bash
# Checks that an embedded model needs no MLIR or LLVM: the runtime library references neither,
# the demo binary does not load them, and the compiled object calls nothing but libc/libm.
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
# The compiled code may call the C library's memset/memcpy/memmove and libm's float functions
# and the runtime's nncc_rt_parallel_for and nncc_rt_hook, and nothing else: no allocator, no MLIR runtime library.
unexpected=$(nm --undefined-only "$object" | awk '{print $2}' |
  grep -vxE 'memset|memcpy|memmove|expf|logf|tanhf|erff|sqrtf|nncc_rt_parallel_for|nncc_rt_hook' || true)
if [ -n "$unexpected" ]; then
  echo "error: $object needs symbols the runtime does not provide: $unexpected"
  status=1
fi
defined=$(nm --defined-only --extern-only "$object" | awk '{print $3}' | sort | tr '\n' ' ')
echo "exported by $object: $defined"
[ "$status" -eq 0 ] && echo "ok: the runtime and the artifact are free of MLIR, LLVM and allocation"
exit $status
