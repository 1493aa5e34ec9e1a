# Warnings and sanitizers applied to every socksim target through socksim_options.
add_library(socksim_options INTERFACE)
target_compile_options(socksim_options INTERFACE
  -Wall -Wextra -Wpedantic -Werror=switch -Werror=return-type
  # Designated initializers that rely on member defaults are the intended style.
  -Wno-missing-field-initializers)

if(SOCKSIM_SANITIZE)
  # ASan + UBSan; UBSan findings abort so that CTest reports them as failures.
  target_compile_options(socksim_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(socksim_options INTERFACE -fsanitize=address,undefined)
endif()

if(SOCKSIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SOCKSIM_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Coverage for libFuzzer in every library; the fuzz targets link the fuzzer's main.
  target_compile_options(socksim_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(socksim_options INTERFACE -fsanitize=address,undefined)
endif()

# GCC 12 at -O3 (the Release configuration) reports -Wrestrict, -Wstringop-overflow,
# -Warray-bounds and -Wmaybe-uninitialized at locations inside libstdc++'s std::string,
# std::vector and std::variant, reached only after inlining ordinary uses of them (a string
# append, a vector insert, moving a default-constructed variant). The same code gives none of
# them at -O2 (RelWithDebInfo), in Debug or under the sanitizers, which keep all four.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(socksim_options INTERFACE
    "$<$<CONFIG:Release>:-Wno-restrict;-Wno-stringop-overflow;-Wno-array-bounds;-Wno-maybe-uninitialized>")
endif()
