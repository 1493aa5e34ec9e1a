# File: tests/tools/replay_log.cmake
# One CTest case of the real-log corpus: `socksim replay --strict LOG`. A log not in
# BOUNDS (tests/tools/data/strace/real/diverging.txt) must replay clean (exit 0: every socket
# call replayed, no divergence). A log listed there, as `SCENARIO FORM DIVERGED SOCKETS`, is one
# whose remaining differences are known and counted: it may diverge on at most DIVERGED calls
# and leave at most SOCKETS socket calls not replayed, so that any regression fails; once it
# replays clean the case fails too, asking for its line to go. A log kept compressed
# (NAME.tar.xz, a tar holding NAME) is unpacked into WORK first. Run as
#   cmake -DSOCKSIM=... -DLOG=... -DSCENARIO=... -DFORM=... -DBOUNDS=... -DWORK=... -P replay_log.cmake
if(LOG MATCHES "\\.tar\\.xz$")
  file(MAKE_DIRECTORY ${WORK})
  execute_process(COMMAND ${CMAKE_COMMAND} -E tar xJf ${LOG} WORKING_DIRECTORY ${WORK}
                  RESULT_VARIABLE unpacked)
  if(NOT unpacked EQUAL 0)
    message(FATAL_ERROR "cannot unpack ${LOG}")
  endif()
  get_filename_component(name ${LOG} NAME)
  string(REGEX REPLACE "\\.tar\\.xz$" "" name ${name})
  set(LOG ${WORK}/${name})
endif()
execute_process(COMMAND ${SOCKSIM} replay --strict ${LOG} RESULT_VARIABLE status
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(bound_diverged "")
if(EXISTS ${BOUNDS})
  file(STRINGS ${BOUNDS} entries REGEX "^${SCENARIO} ${FORM} ")
  if(entries)
    list(GET entries 0 entry)
    string(REPLACE " " ";" fields "${entry}")
    list(GET fields 2 bound_diverged)
    list(GET fields 3 bound_sockets)
  endif()
endif()
if(bound_diverged STREQUAL "")
  if(NOT status EQUAL 0)
    message("${out}${err}")
    message(FATAL_ERROR "socksim replay --strict ${LOG}: exit status ${status}")
  endif()
  return()
endif()
if(NOT out MATCHES "([0-9]+) calls diverged")
  message("${out}${err}")
  message(FATAL_ERROR "socksim replay ${LOG}: no summary (exit status ${status})")
endif()
set(diverged ${CMAKE_MATCH_1})
set(sockets 0)
if(out MATCHES "\\(([0-9]+) on sockets\\)")
  set(sockets ${CMAKE_MATCH_1})
endif()
if(status EQUAL 0)
  message(FATAL_ERROR "${LOG} now replays clean: remove '${SCENARIO} ${FORM}' from ${BOUNDS}")
endif()
if(diverged GREATER bound_diverged OR sockets GREATER bound_sockets)
  message("${out}${err}")
  message(FATAL_ERROR "${LOG}: ${diverged} calls diverged and ${sockets} socket calls not "
                      "replayed, more than the ${bound_diverged} and ${bound_sockets} known")
endif()
message("${LOG}: ${diverged} known divergences (at most ${bound_diverged}), ${sockets} socket "
        "calls not replayed (at most ${bound_sockets})")
