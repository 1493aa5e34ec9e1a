# File: tests/tools/replay_log.cmake
# One CTest case of the real-log corpus: `socksim replay --strict LOG` must exit 0 (every
# socket call replayed, no divergence). A log kept compressed (NAME.tar.xz, a tar holding
# NAME) is unpacked into WORK first. Run as
#   cmake -DSOCKSIM=... -DLOG=... -DWORK=... -P replay_log.cmake
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
if(NOT status EQUAL 0)
  message("${out}${err}")
  message(FATAL_ERROR "socksim replay --strict ${LOG}: exit status ${status}")
endif()
