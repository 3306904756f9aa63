# lit configuration of nncc's IR and CLI tests: nncc-opt, nncc and FileCheck over .mlir and .test files.
import os

import lit.formats
from lit.llvm import llvm_config

if not hasattr(config, "nncc_lit_binary_dir"):
    lit_config.fatal("run lit on the build directory's test/lit, whose lit.site.cfg.py CMake configured")

config.name = "nncc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.nncc_lit_binary_dir

llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()

config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(("%mlp_model", config.nncc_example_model))
config.substitutions.append(("%cnn_model", config.nncc_cnn_model))
# numpy is only installed for the interpreter CMake chose (see CMakeLists.txt), which need not be
# the one running lit: replace use_default_substitutions' %python (sys.executable).
config.substitutions = [(key, value) for key, value in config.substitutions if key != "%python"]
config.substitutions.append(("%python", '"%s"' % config.python_executable))

# nncc and nncc-opt are each built in their own folder under tools/.
tool_dirs = [
    os.path.join(config.nncc_tools_dir, "nncc"),
    os.path.join(config.nncc_tools_dir, "nncc-opt"),
    config.llvm_tools_dir,
]
llvm_config.add_tool_substitutions(["nncc-opt", "nncc", "FileCheck", "not", "count", "llvm-nm"], tool_dirs)

# The CUDA target: PTX needs NVRTC (found at build time); a machine with a driver library runs
# the device tests instead of the "no CUDA device" ones.
if config.nncc_have_nvrtc:
    config.available_features.add("nvrtc")
try:
    import ctypes
    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
except OSError:
    pass
