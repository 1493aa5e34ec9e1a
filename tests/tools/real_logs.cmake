# File: tests/tools/real_logs.cmake
# The real-log corpus (tests/tools/data/strace/real): one CTest case per scenario and strace
# form, each a `socksim replay --strict` that must pass, or stay within the counted
# differences diverging.txt lists for it (replay_log.cmake). strace -ff logs are one case per
# scenario, replayed from their prefix.
set(real_logs ${CMAKE_CURRENT_SOURCE_DIR}/tools/data/strace/real)
file(GLOB real_scenarios LIST_DIRECTORIES true CONFIGURE_DEPENDS ${real_logs}/*)
foreach(dir IN LISTS real_scenarios)
  if(NOT IS_DIRECTORY ${dir})
    continue()
  endif()
  get_filename_component(scenario ${dir} NAME)
  file(GLOB logs CONFIGURE_DEPENDS ${dir}/*.log ${dir}/*.log.tar.xz)
  foreach(log IN LISTS logs)
    get_filename_component(form ${log} NAME)
    string(REGEX REPLACE "\\.log(\\.tar\\.xz)?$" "" form ${form})
    add_test(NAME replay.${scenario}.${form}
             COMMAND ${CMAKE_COMMAND} -DSOCKSIM=$<TARGET_FILE:socksim_cli> -DLOG=${log}
                     -DSCENARIO=${scenario} -DFORM=${form} -DBOUNDS=${real_logs}/diverging.txt
                     -DWORK=${CMAKE_CURRENT_BINARY_DIR}/real_logs/${scenario}
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/tools/replay_log.cmake)
  endforeach()
  file(GLOB per_process CONFIGURE_DEPENDS ${dir}/ff.*)
  if(per_process)
    add_test(NAME replay.${scenario}.ff
             COMMAND ${CMAKE_COMMAND} -DSOCKSIM=$<TARGET_FILE:socksim_cli> -DLOG=${dir}/ff
                     -DSCENARIO=${scenario} -DFORM=ff -DBOUNDS=${real_logs}/diverging.txt
                     -DWORK=${CMAKE_CURRENT_BINARY_DIR}/real_logs/${scenario}
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/tools/replay_log.cmake)
  endif()
endforeach()
