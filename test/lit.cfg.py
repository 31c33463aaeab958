# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "Axon"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py",
                   "Inputs", "consumer", "make_models.py", "make_cases.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.axon_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%axon_src_root", config.axon_src_root))
config.substitutions.append(("%axon_obj_root", config.axon_obj_root))
config.substitutions.append(
    ("%axon_plugin", os.path.join(config.axon_lib_dir, "AxonPlugin.so")))
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# FileCheck, not, count, split-file come from LLVM 22 (no llvm-lit install tree).
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.axon_tools_dir, append_path=True)

# axon-run's compile cache stays inside the build tree (each build of the
# tools keys its own entries, so a rebuilt tool never reads stale ones).
config.environment["XDG_CACHE_HOME"] = os.path.join(config.test_exec_root, "compile-cache")

# FileCheck variables stay local to a CHECK-LABEL block.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope"

if config.axon_plugin_built:
    config.available_features.add("plugin")
if config.axon_onnx:
    config.available_features.add("onnx")
# ptxas (CUDA's PTX assembler) validates the PTX we emit where it is installed.
ptxas_dirs = [os.path.join(os.environ.get("CUDA_HOME", "/usr/local/cuda"), "bin")]
for d in ptxas_dirs:
    if os.path.exists(os.path.join(d, "ptxas")):
        config.available_features.add("ptxas")
        llvm_config.with_environment("PATH", d, append_path=True)

# Named x86 CPUs (axon-run --cpu) are tested where the host is one.
import platform
if platform.machine() in ("x86_64", "AMD64"):
    config.available_features.add("x86_64")

# The libFuzzer targets exist in sanitized builds (AXON_BUILD_FUZZERS).
if os.path.exists(os.path.join(config.axon_tools_dir, "axon-fuzz-mlir")):
    config.available_features.add("fuzzers")

# A usable CUDA driver and GPU enable the CUDA suite (REQUIRES: cuda).
def _cuda_device_present():
    import ctypes
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
        count = ctypes.c_int(0)
        return cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 \
            and count.value > 0
    except OSError:
        return False

if _cuda_device_present():
    config.available_features.add("cuda")

# `--param axon-target=cuda` reruns any suite (e.g. Integration/CPU, whose
# references come from numpy) with every axon-run on the GPU.
axon_target = lit_config.params.get("axon-target")
axon_run_args = ["--target=" + axon_target] if axon_target else []
# `--param axon-run-under="compute-sanitizer --tool memcheck --error-exitcode 99"`
# runs every axon-run of a suite under that command (the device script does).
axon_run_under = lit_config.params.get("axon-run-under")
if axon_run_under:
    import shlex
    import shutil
    words = shlex.split(axon_run_under)
    axon_run = ToolSubst("axon-run", command=words[0], unresolved="fatal",
                         extra_args=words[1:] + [shutil.which("axon-run", path=config.axon_tools_dir)]
                         + axon_run_args)
else:
    axon_run = ToolSubst("axon-run", unresolved="fatal", extra_args=axon_run_args or None)

tools = [
    "axon-opt",
    axon_run,
    "axon-translate",
    "axon-tune",
    ToolSubst("%mlir-opt", os.path.join(config.llvm_tools_dir, "mlir-opt")),
]
llvm_config.add_tool_substitutions(tools, [config.axon_tools_dir, config.llvm_tools_dir])
