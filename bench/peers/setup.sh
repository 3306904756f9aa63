#!/usr/bin/env bash
# Creates or updates the Python venv with the benchmark's peers (torch 2.x for eager and
# torch.compile, ONNX Runtime, IREE), all from PyPI at pinned versions; quick when already set up.
# Environment: NNCC_BENCH_VENV (default <repo>/build-bench/venv), NNCC_BENCH_PYTHON (the
# interpreter that makes the venv; default python3.11, else python3). Needs gcc (torch.compile's
# Inductor compiles C++, and cuda_stubs.py builds its stub library). Not part of the build or CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${NNCC_BENCH_VENV:-$root/build-bench/venv}
py=${NNCC_BENCH_PYTHON:-$(command -v python3.11 || command -v python3)}

# torch comes alone (--no-deps) so that pip does not pull its multi-GB nvidia-* CUDA wheels; its
# pure-Python dependencies are listed with the rest. cuda_stubs.py then makes it importable.
torch_pin="torch==2.15.0"
pins=(
  numpy==2.4.6 safetensors==0.8.0
  onnx==1.23.2 onnxscript==0.7.2 onnxruntime==1.32.0
  iree-base-compiler==3.13.0 iree-base-runtime==3.13.0
  filelock==4.3.1 typing-extensions==4.16.0 sympy==1.14.0 mpmath==1.3.0 networkx==3.6.1
  jinja2==3.1.6 MarkupSafe==3.0.4 fsspec==2026.9.0 setuptools==84.2.1
)
# The stamp names what was installed: a change of pins or of cuda_stubs.py reinstalls.
key=$(echo "$torch_pin ${pins[*]} $(cksum <"$here/cuda_stubs.py")" | cksum | cut -d' ' -f1)
stamp="$venv/.nncc-peers-$key"
if [ -e "$stamp" ]; then
  exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "peers setup: creating $venv with $py ($("$py" --version))"
  if ! "$py" -m venv "$venv"; then
    # Debian's own python3 makes venvs only with python3-venv; python3-dev brings the Python.h
    # that torch.compile's generated C++ includes.
    rm -rf "$venv"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      python3-venv python3-dev
    "$py" -m venv "$venv"
  fi
fi
pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check --no-warn-conflicts)
"${pip[@]}" --no-deps "$torch_pin"
"${pip[@]}" "${pins[@]}"
torch_dir=$("$venv/bin/python" -c 'import importlib.util as u
print(u.find_spec("torch").submodule_search_locations[0])')
"$venv/bin/python" "$here/cuda_stubs.py" "$torch_dir"
"$venv/bin/python" -c 'import torch, onnxruntime, iree.compiler, iree.runtime
assert not torch.cuda.is_available()'
rm -f "$venv"/.nncc-peers-*
touch "$stamp"
echo "peers setup: ready: $venv"
