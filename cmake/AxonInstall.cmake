# axon_export_library(<target>): installs an Axon library into the `AxonTargets`
# export set, so that `find_package(Axon)` consumers can link `Axon::<target>`.
function(axon_export_library target)
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${AXON_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${AXON_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${target})
  install(TARGETS ${target} EXPORT AxonTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endfunction()
