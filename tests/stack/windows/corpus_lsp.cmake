# File: tests/stack/windows/corpus_lsp.cmake
# A pass-through layered provider must be invisible (issue [5/12]; design "Providers and the
# catalog"): the Windows corpus is run twice with --record, once as written and once with
# `--header "lsp all behaviour=pass chains=all"` (a layered provider over every chain of the
# catalog), and the two recorded trees must be byte for byte the same. Run as a CTest test
# with cmake -P:
#   -DSOCKSIM=<socksim executable> -DCORPUS=<scenarios/windows> -DWORK=<scratch directory>
# With no scenario under CORPUS yet there is nothing to compare: the script says so and the
# test is reported as skipped (SKIP_REGULAR_EXPRESSION in corpus_checks.cmake).
cmake_minimum_required(VERSION 3.25)

foreach(var SOCKSIM CORPUS WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "corpus_lsp.cmake needs -D${var}=...")
  endif()
endforeach()

file(GLOB_RECURSE scenarios RELATIVE "${CORPUS}" "${CORPUS}/*.scn" "${CORPUS}/*.trace")
if(NOT scenarios)
  message(STATUS "corpus.windows.lsp: skipped: no scenarios yet under ${CORPUS}")
  return()
endif()

file(REMOVE_RECURSE "${WORK}")
set(plain "${WORK}/plain")
set(layered "${WORK}/layered")

# Each run records every scenario under its own tree; the exit status says whether the
# scenarios passed, which corpus.simulator checks: here both runs must merely agree.
execute_process(COMMAND "${SOCKSIM}" run --record "${plain}" "${CORPUS}"
                RESULT_VARIABLE plain_status OUTPUT_QUIET ERROR_VARIABLE plain_error)
execute_process(COMMAND "${SOCKSIM}" run --header "lsp all behaviour=pass chains=all"
                        --record "${layered}" "${CORPUS}"
                RESULT_VARIABLE layered_status OUTPUT_QUIET ERROR_VARIABLE layered_error)
foreach(run plain layered)
  if(NOT ${run}_status MATCHES "^[01]$")
    message(FATAL_ERROR "corpus.windows.lsp: the ${run} run did not complete "
                        "(status ${${run}_status}): ${${run}_error}")
  endif()
endforeach()
if(NOT plain_status STREQUAL layered_status)
  message(FATAL_ERROR "corpus.windows.lsp: the plain run exited ${plain_status}, the run with "
                      "a pass-through layered provider ${layered_status}")
endif()

file(GLOB_RECURSE plain_files RELATIVE "${plain}" "${plain}/*")
file(GLOB_RECURSE layered_files RELATIVE "${layered}" "${layered}/*")
list(SORT plain_files)
list(SORT layered_files)
if(NOT plain_files STREQUAL layered_files)
  message(FATAL_ERROR "corpus.windows.lsp: the two runs recorded different files:\n"
                      "  plain:   ${plain_files}\n  layered: ${layered_files}")
endif()
set(differ "")
foreach(f IN LISTS plain_files)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${plain}/${f}" "${layered}/${f}"
                  RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    string(APPEND differ "  ${f}\n")
  endif()
endforeach()
if(differ)
  message(FATAL_ERROR "corpus.windows.lsp: a pass-through layered provider changed the "
                      "recorded traces of:\n${differ}(compare ${plain} with ${layered})")
endif()
list(LENGTH plain_files count)
message(STATUS "corpus.windows.lsp: ${count} recorded traces identical with a pass-through "
               "layered provider on every chain")
