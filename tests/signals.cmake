# The command line's rules for every command (exact option names, help and
# version, bounds, list items, output failures) and the signal discipline:
# SIGINT and SIGTERM sent to run, all, hyperfine, calibrate and report.
add_executable(test_cli_options test_cli_options.c)
target_link_libraries(test_cli_options PRIVATE zccore zctestutil)
add_test(NAME test_cli_options COMMAND test_cli_options $<TARGET_FILE:zcbench> ${CMAKE_CURRENT_SOURCE_DIR}/data/compare)

add_executable(test_signals test_signals.c)
target_link_libraries(test_signals PRIVATE zccore zctestutil)
add_test(NAME test_signals COMMAND test_signals $<TARGET_FILE:zcbench> ${PROJECT_SOURCE_DIR}/plots
                                   ${PROJECT_SOURCE_DIR}/results/sample/sample-all.json)
set_tests_properties(test_signals PROPERTIES TIMEOUT 1500)
