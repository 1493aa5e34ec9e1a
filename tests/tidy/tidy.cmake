# File: tests/tidy/tidy.cmake
# Source-level bans (run as a CTest test with cmake -P):
#  1. nondeterminism in sim/ and stack/: wall clocks (also banned in tools/scenario/ and
#     tools/text/: only the CLI measures time), global or library randomness, and
#     pointer formatting; hash containers only where a line marks them lookup-only;
#  2. layering: sim/ includes nothing from stack/ or tools/; stack/core/ includes no
#     personality and names no operating system (outside marked comparative citations); errno
#     numbers appear only under stack/personality/; the generic tools (tools/scenario/,
#     tools/graph/) include no personality, and the CLI only through the registry and the
#     generated host executor list.
cmake_minimum_required(VERSION 3.25)

set(failures "")

# Lines matching `regex` in the files under `dir` fail with `why`, except lines carrying the
# `allow` marker; with `comments` ON, comment lines count too (the core must not even cite an
# OS, unless the line says it compares systems on purpose with the marker).
function(check dir regex why allow comments)
  file(GLOB_RECURSE files "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/*.cc"
       "${SOURCE_DIR}/${dir}/*.def")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" lines REGEX "${regex}")
    foreach(line IN LISTS lines)
      string(STRIP "${line}" line)
      if(allow AND line MATCHES "${allow}")
        continue()
      endif()
      if(comments OR NOT line MATCHES "^//")
        string(APPEND failures "${f}: ${why}: ${line}\n")
      endif()
    endforeach()
  endforeach()
  set(failures "${failures}" PARENT_SCOPE)
endfunction()

# Comments may name what they avoid.
function(ban dir regex why)
  check(${dir} "${regex}" "${why}" "${ARGN}" OFF)
  set(failures "${failures}" PARENT_SCOPE)
endfunction()
function(ban_everywhere dir regex why marker)
  check(${dir} "${regex}" "${why}" "${marker}" ON)
  set(failures "${failures}" PARENT_SCOPE)
endfunction()

# The scenario layer gets no clock either: a report's wall times (JUnit) are measured by the
# CLI and passed in (docs/ci.md).
foreach(dir tools/scenario tools/text)
  ban(${dir} "system_clock|steady_clock|high_resolution_clock|time\\(NULL\\)|time\\(nullptr\\)" "a clock outside the CLI")
endforeach()

foreach(dir sim stack)
  ban(${dir} "std::random_device|[^a-zA-Z_]rand\\(|srand\\(|system_clock|steady_clock|high_resolution_clock|_distribution<|time\\(NULL\\)|time\\(nullptr\\)" "nondeterministic source")
  ban(${dir} "%p|\\{:p\\}" "pointer formatting")
  # A hash table is allowed where nothing iterates it into output; the line says so.
  ban(${dir} "unordered_map|unordered_set|flat_hash_(map|set)|node_hash_(map|set)" "hash container (iteration order may show in output)" "tidy: lookup-only")
endforeach()
ban(sim "#include \"(stack|tools)/" "sim/ must not depend on stack/ or tools/")
ban(stack/core "#include \"stack/personality/" "stack/core must not depend on a personality")
ban(stack/core "#include <cerrno>|#include <errno.h>|[^a-zA-Z_]E(NOTCONN|BADF|FAULT|INVAL)[^a-zA-Z_]" "errno in the neutral core")
ban_everywhere(stack/core "[Ll]inux|LINUX|[Ww]insock|[Ww]indows|WSA[A-Z]|[Ii]llumos|[Ss]olaris|glibc|af_unix\\.c|ws2_32|net/ipv4|net/ipv6|net/core|net/unix|inet_csk|__inet|tcp_v4|tcp_v6|udp_sendmsg|unix_[a-z_]+\\(" "an OS named in the neutral core (policy belongs to personalities)" "compare: ")
foreach(dir tools/text tools/scenario tools/graph)
  ban(${dir} "#include \"(tools/personality/|stack/personality/[a-z_]+/)" "generic tools must not include a personality")
endforeach()
ban(tools/cli "#include \"(tools/personality/|stack/personality/[a-z_]+/)" "the CLI reaches personalities through the registry")

if(failures)
  message(FATAL_ERROR "tidy check failed:\n${failures}")
endif()
message(STATUS "tidy: sim/, stack/ and the generic tools are clean")
