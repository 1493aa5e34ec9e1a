# File: tests/tidy/tidy.cmake
# Source-level bans (run as a CTest test with cmake -P):
#  1. nondeterminism in sim/ and stack/: wall clocks, global or library randomness, and
#     pointer formatting;
#  2. layering: sim/ includes nothing from stack/ or tools/; stack/core/ includes no
#     personality; errno numbers appear only under stack/personality/.
cmake_minimum_required(VERSION 3.25)

set(failures "")

function(ban dir regex why)
  file(GLOB_RECURSE files "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/*.cc")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" lines REGEX "${regex}")
    foreach(line IN LISTS lines)
      string(STRIP "${line}" line)
      # Comments may name what they avoid.
      if(NOT line MATCHES "^//")
        string(APPEND failures "${f}: ${why}: ${line}\n")
      endif()
    endforeach()
  endforeach()
  set(failures "${failures}" PARENT_SCOPE)
endfunction()

foreach(dir sim stack)
  ban(${dir} "std::random_device|[^a-zA-Z_]rand\\(|srand\\(|system_clock|steady_clock|high_resolution_clock|_distribution<|time\\(NULL\\)|time\\(nullptr\\)" "nondeterministic source")
  ban(${dir} "%p|\\{:p\\}" "pointer formatting")
  ban(${dir} "unordered_map|unordered_set" "unordered container (iteration order may show in output)")
endforeach()
ban(sim "#include \"(stack|tools)/" "sim/ must not depend on stack/ or tools/")
ban(stack/core "#include \"stack/personality/" "stack/core must not depend on a personality")
ban(stack/core "#include <cerrno>|#include <errno.h>|[^a-zA-Z_]E(NOTCONN|BADF|FAULT|INVAL)[^a-zA-Z_]" "errno in the neutral core")

if(failures)
  message(FATAL_ERROR "tidy check failed:\n${failures}")
endif()
message(STATUS "tidy: sim/ and stack/ are clean")
