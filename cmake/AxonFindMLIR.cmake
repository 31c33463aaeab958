# Finds Debian's LLVM/MLIR 22 and pulls in MLIR's CMake helpers. Fails early,
# naming the packages to install, instead of failing deep inside TableGen.
set(AXON_REQUIRED_LLVM_MAJOR 22)
set(_axon_mlir_hint /usr/lib/llvm-${AXON_REQUIRED_LLVM_MAJOR}/lib/cmake/mlir)
set(_axon_install_hint
  "Install them with: sudo bash scripts/install-deps.sh (Debian packages llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools), or pass -DMLIR_DIR=<prefix>/lib/cmake/mlir.")

find_package(MLIR CONFIG QUIET HINTS ${_axon_mlir_hint})
if(NOT MLIR_FOUND)
  message(FATAL_ERROR "Axon needs MLIR ${AXON_REQUIRED_LLVM_MAJOR} and none was found. ${_axon_install_hint}")
endif()
if(NOT LLVM_VERSION_MAJOR EQUAL AXON_REQUIRED_LLVM_MAJOR)
  message(FATAL_ERROR "Axon needs LLVM/MLIR ${AXON_REQUIRED_LLVM_MAJOR}, but MLIR_DIR=${MLIR_DIR} is version ${LLVM_PACKAGE_VERSION}. ${_axon_install_hint}")
endif()
message(STATUS "Using MLIR ${LLVM_PACKAGE_VERSION} from ${MLIR_DIR}")

list(APPEND CMAKE_MODULE_PATH "${MLIR_CMAKE_DIR}" "${LLVM_CMAKE_DIR}")
set(LLVM_RUNTIME_OUTPUT_INTDIR ${CMAKE_BINARY_DIR}/bin)
set(LLVM_LIBRARY_OUTPUT_INTDIR ${CMAKE_BINARY_DIR}/lib)
set(MLIR_BINARY_DIR ${CMAKE_BINARY_DIR})
include(TableGen)
include(AddLLVM)
include(AddMLIR)
include(HandleLLVMOptions)

set(LLVM_TOOLS_DIR "${LLVM_TOOLS_BINARY_DIR}")
if(NOT LLVM_EXTERNAL_LIT)
  find_program(LLVM_EXTERNAL_LIT NAMES lit llvm-lit
    HINTS ${LLVM_TOOLS_BINARY_DIR} /usr/lib/llvm-${AXON_REQUIRED_LLVM_MAJOR}/bin)
endif()
