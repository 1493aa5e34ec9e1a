# File: tests/stack/windows/corpus_checks.cmake
# The Windows personality's checks of its corpus beyond passing it, included by
# tests/CMakeLists.txt: a pass-through layered provider on every chain must leave every recorded
# trace of scenarios/windows byte-identical (corpus_lsp.cmake).
add_test(NAME corpus.windows.lsp
         COMMAND ${CMAKE_COMMAND} -DSOCKSIM=$<TARGET_FILE:socksim_cli>
                 -DCORPUS=${PROJECT_SOURCE_DIR}/scenarios/windows
                 -DWORK=${CMAKE_CURRENT_BINARY_DIR}/corpus-windows-lsp
                 -P ${CMAKE_CURRENT_LIST_DIR}/corpus_lsp.cmake)
set_tests_properties(corpus.windows.lsp PROPERTIES SKIP_REGULAR_EXPRESSION "skipped: no scenarios yet")
