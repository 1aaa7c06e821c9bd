# Verdicts (issue 11): the paired interval and the warnings on fixed data,
# then the binary: equal chunks in `all`, adaptive rounds, --time, and
# stdout/stderr kept apart when both go to one pipe.
add_executable(test_verdicts ${CMAKE_CURRENT_LIST_DIR}/test_verdicts.c)
target_link_libraries(test_verdicts PRIVATE zccore)
add_test(NAME test_verdicts COMMAND test_verdicts)

add_executable(test_verdicts_cli ${CMAKE_CURRENT_LIST_DIR}/test_verdicts_cli.c)
target_link_libraries(test_verdicts_cli PRIVATE zccore zctestutil)
add_test(NAME test_verdicts_cli COMMAND test_verdicts_cli $<TARGET_FILE:zcbench>)

# The reproducibility script's counting on constructed files (jq; 77: skipped).
add_test(NAME bench_reproducibility COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/reproducibility.sh)
set_tests_properties(bench_reproducibility PROPERTIES SKIP_RETURN_CODE 77)
