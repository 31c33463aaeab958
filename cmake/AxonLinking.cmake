# One place decides how Axon links MLIR: against libMLIR.so/libLLVM.so (the
# default, fast links) or against the static archives (self-contained tools for
# machines without LLVM, e.g. the GPU machine).
#
# axon_link_mlir(<target> <PUBLIC|PRIVATE|INTERFACE> <MLIR static libs...>)
function(axon_link_mlir target scope)
  if(AXON_LINK_MLIR_DYLIB)
    target_link_libraries(${target} ${scope} MLIR LLVM)
  else()
    target_link_libraries(${target} ${scope} ${ARGN})
  endif()
endfunction()

if(NOT AXON_LINK_MLIR_DYLIB)
  # Debian's static MLIR archives name libLLVM.so as their dependency (the
  # component list is lost when LLVM is built as a dylib); point every
  # imported target at all of LLVM's static libraries instead, and let
  # --gc-sections drop what is unused.
  # zstd goes in statically when libzstd-dev is there. The exports name curl
  # and libedit targets that Debian's package does not define; they are only
  # for LLVMDebuginfod and LLVMLineEditor, which no Axon tool uses.
  find_library(AXON_ZSTD_STATIC libzstd.a)
  if(TARGET zstd::libzstd_shared AND AXON_ZSTD_STATIC)
    set_target_properties(zstd::libzstd_shared PROPERTIES
      IMPORTED_LOCATION ${AXON_ZSTD_STATIC})
  endif()
  foreach(_unused CURL::libcurl LibEdit::LibEdit)
    if(NOT TARGET ${_unused})
      add_library(${_unused} INTERFACE IMPORTED)
    endif()
  endforeach()
  set(_axon_llvm_static_libs)
  foreach(_lib IN LISTS LLVM_AVAILABLE_LIBS)
    # Tool-only libraries whose system dependencies (curl, libedit, libpfm)
    # Axon neither needs nor installs.
    if(_lib MATCHES "^LLVM(Debuginfod|LineEditor|Exegesis.*|BOLT.*)$")
      continue()
    endif()
    if(TARGET ${_lib})
      get_target_property(_type ${_lib} TYPE)
      # Some exported archives (Polly) are not shipped by the -dev package.
      get_target_property(_configs ${_lib} IMPORTED_CONFIGURATIONS)
      list(GET _configs 0 _config)
      get_target_property(_file ${_lib} IMPORTED_LOCATION_${_config})
      if(_type STREQUAL "STATIC_LIBRARY" AND EXISTS "${_file}")
        list(APPEND _axon_llvm_static_libs ${_lib})
      endif()
    endif()
  endforeach()
  # --as-needed drops shared libraries named by the exports but never
  # referenced (libz3.so is only for LLVM's SMT solver); the C++ runtime goes
  # in statically so the tools run on any glibc >= this machine's.
  # MLIR's and LLVM's archives reference each other in both directions;
  # one group lets the linker resolve them in any order.
  set(CMAKE_CXX_LINK_EXECUTABLE
    "<CMAKE_CXX_COMPILER> <FLAGS> <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> -Wl,--start-group <LINK_LIBRARIES> -Wl,--end-group")
  add_link_options(-Wl,--gc-sections -Wl,--as-needed
    -static-libstdc++ -static-libgcc)
  get_property(_axon_imported DIRECTORY PROPERTY IMPORTED_TARGETS)
  foreach(_t IN LISTS _axon_imported)
    get_target_property(_type ${_t} TYPE)
    if(_type STREQUAL "STATIC_LIBRARY" OR _type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(_deps ${_t} INTERFACE_LINK_LIBRARIES)
      # libMLIR.so appears as "MLIR" (test libraries), libLLVM.so as "LLVM"
      # or "$<LINK_ONLY:LLVM>"; Polly's archive is not shipped.
      if(_deps)
        set(_dylibs LLVM "$<LINK_ONLY:LLVM>" MLIR Polly)
        set(_before "${_deps}")
        list(REMOVE_ITEM _deps ${_dylibs})
        if(NOT _deps STREQUAL _before)
          list(APPEND _deps ${_axon_llvm_static_libs})
          set_target_properties(${_t} PROPERTIES INTERFACE_LINK_LIBRARIES "${_deps}")
        endif()
      endif()
    endif()
  endforeach()
endif()
