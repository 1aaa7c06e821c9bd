# The command line's rules for every command (exact option names, help and
# version, bounds, list items, output failures) and the signal discipline:
# SIGINT and SIGTERM sent to run, all, hyperfine, calibrate and report.
add_executable(test_cli_options test_cli_options.c)
target_link_libraries(test_cli_options PRIVATE zccore zctestutil)
add_test(NAME test_cli_options COMMAND test_cli_options $<TARGET_FILE:zcbench> ${CMAKE_CURRENT_SOURCE_DIR}/data/compare)
