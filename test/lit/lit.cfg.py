# lit configuration of nncc's IR and CLI tests: nncc-opt, nncc and FileCheck on .mlir and .test files.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "nncc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.nncc_lit_binary_dir)

llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()

config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(("%mlp_model", config.nncc_example_model))
config.substitutions.append(("%python", config.python_executable))

tool_dirs = [config.nncc_tools_dir + "/nncc", config.nncc_tools_dir + "/nncc-opt", config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["nncc", "nncc-opt", "FileCheck", "not", "count", "llvm-nm"], tool_dirs)
