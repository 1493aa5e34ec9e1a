# Install rules (SOCKSIM_INSTALL): the embeddable library, the headers its users include, the
# CMake package (find_package(socksim 0.2 CONFIG)) and the pkg-config file (socksim.pc), all
# relocatable: `cmake --install BUILD --prefix P` may put them anywhere. docs/embedding.md.
include(CMakePackageConfigHelpers)

# The static libraries behind socksim::socksim (api/), in link order: the public library, the
# scenario layer and its per-personality bindings (a cycle, see tools/CMakeLists.txt), the
# personalities, the core, the world. They are installed and exported because a static library
# needs them at link time; their headers are not installed, and none of their include
# directories, flags or definitions reaches an embedder (socksim links them PRIVATE, so the
# export names them link-only). The host executors and the CLI are the command line's.
set(socksim_cycle socksim_tools)
set(socksim_personalities "")
foreach(personality IN LISTS SOCKSIM_PERSONALITIES)
  list(APPEND socksim_cycle socksim_tools_${personality})
  list(APPEND socksim_personalities socksim_personality_${personality})
endforeach()
set(socksim_libraries ${socksim_cycle} ${socksim_personalities} socksim_stack_core socksim_sim)

install(TARGETS socksim ${socksim_libraries} socksim_internals EXPORT socksimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

# The public headers alone: include/socksim/*.h (api/include/socksim/), and with GoogleTest
# the helpers' socksim/testing.h, which socksim::testing brings (its own export set, so that
# finding socksim does not need GoogleTest unless socksim::testing is used).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/api/include/socksim
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET socksim_testing)
  install(TARGETS socksim_testing EXPORT socksimTestingTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/testing/include/socksim
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()

# A sanitized build's libraries need the sanitizer runtimes in whatever links them. In the
# build tree that comes from socksim_options (link-only); installed, from socksim::socksim.
if(SOCKSIM_SANITIZE OR SOCKSIM_FUZZ)
  set(socksim_sanitizer_link_options -fsanitize=address,undefined)
  target_link_options(socksim INTERFACE
                      "$<INSTALL_INTERFACE:${socksim_sanitizer_link_options}>")
else()
  set(socksim_sanitizer_link_options "")
endif()

set(SOCKSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/socksim)
install(EXPORT socksimTargets NAMESPACE socksim:: FILE socksimTargets.cmake
        DESTINATION ${SOCKSIM_CMAKE_DIR})
if(TARGET socksim_testing)
  install(EXPORT socksimTestingTargets NAMESPACE socksim:: FILE socksimTestingTargets.cmake
          DESTINATION ${SOCKSIM_CMAKE_DIR})
endif()
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/socksimConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/package/socksimConfig.cmake
                              INSTALL_DESTINATION ${SOCKSIM_CMAKE_DIR})
# Before 1.0 a minor version may break the interface: 0.2.x accepts a request for 0.2 only.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/socksimConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/socksimConfig.cmake
              ${PROJECT_BINARY_DIR}/package/socksimConfigVersion.cmake
        DESTINATION ${SOCKSIM_CMAKE_DIR})

# socksim.pc: the libraries are static, so Libs names them all in link order and Requires (not
# Requires.private) names the libraries they call, whose flags `pkg-config --libs` must then
# give. The cycle is a linker group: pkg-config drops a repeated -l, so repeating the cycle
# as CMake does would not survive it. Boost.Graph is used header-only and needs no flag.
set(socksim_pc_libs " -lsocksim -Wl,--start-group")
foreach(library IN LISTS socksim_cycle)
  string(APPEND socksim_pc_libs " -l${library}")
endforeach()
string(APPEND socksim_pc_libs " -Wl,--end-group")
foreach(library IN LISTS socksim_personalities)
  string(APPEND socksim_pc_libs " -l${library}")
endforeach()
string(APPEND socksim_pc_libs " -lsocksim_stack_core -lsocksim_sim")
list(JOIN socksim_sanitizer_link_options " " socksim_pc_link_options)
if(socksim_pc_link_options)
  string(APPEND socksim_pc_libs " ${socksim_pc_link_options}")
endif()
# The .pc file finds the prefix from its own place (${pcfiledir}), so it is right wherever
# the install puts it.
file(RELATIVE_PATH socksim_pc_to_prefix /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" socksim_pc_to_prefix "${socksim_pc_to_prefix}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/socksim.pc.in ${PROJECT_BINARY_DIR}/package/socksim.pc
               @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/socksim.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
