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
  set(_axon_llvm_static_libs)
  foreach(_lib IN LISTS LLVM_AVAILABLE_LIBS)
    if(TARGET ${_lib})
      get_target_property(_type ${_lib} TYPE)
      if(_type STREQUAL "STATIC_LIBRARY")
        list(APPEND _axon_llvm_static_libs ${_lib})
      endif()
    endif()
  endforeach()
  add_link_options(-Wl,--gc-sections)
  get_property(_axon_imported DIRECTORY PROPERTY IMPORTED_TARGETS)
  foreach(_t IN LISTS _axon_imported)
    get_target_property(_type ${_t} TYPE)
    if(_type STREQUAL "STATIC_LIBRARY" OR _type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(_deps ${_t} INTERFACE_LINK_LIBRARIES)
      if(_deps AND "LLVM" IN_LIST _deps)
        list(REMOVE_ITEM _deps LLVM)
        list(APPEND _deps ${_axon_llvm_static_libs})
        set_target_properties(${_t} PROPERTIES INTERFACE_LINK_LIBRARIES "${_deps}")
      endif()
    endif()
  endforeach()
endif()
