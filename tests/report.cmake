# Tests of the report, calibrate and hyperfine commands (issue 5), included by
# tests/CMakeLists.txt. The CLI tests drive the built binary; the report tests
# read the checked-in samples in results/sample/. Exit 77 means skipped (a tool
# such as gnuplot, hyperfine or chromium is not installed).
foreach(t test_report test_hyperfine test_report_browser)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
  target_link_libraries(${t} PRIVATE zccore zctestutil)
  add_test(NAME ${t} COMMAND ${t} $<TARGET_FILE:zcbench> ${PROJECT_SOURCE_DIR}/results/sample)
  set_tests_properties(${t} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()

add_executable(test_calibrate ${CMAKE_CURRENT_LIST_DIR}/test_calibrate.c)
target_link_libraries(test_calibrate PRIVATE zccore zctestutil)
add_test(NAME test_calibrate COMMAND test_calibrate $<TARGET_FILE:zcbench>)
