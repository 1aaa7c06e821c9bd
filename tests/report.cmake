# Tests of the report, calibrate and hyperfine commands (issue 5), included by
# tests/CMakeLists.txt. The CLI tests drive the built binary; the report tests
# read the checked-in samples in results/sample/. Exit 77 means skipped (a tool
# such as gnuplot, hyperfine or chromium is not installed).
foreach(t test_report test_hyperfine)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
  target_link_libraries(${t} PRIVATE zccore zctestutil)
  add_test(NAME ${t} COMMAND ${t} $<TARGET_FILE:zcbench> ${PROJECT_SOURCE_DIR}/results/sample)
  set_tests_properties(${t} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endforeach()
# Result files with verdicts, made from the samples, for both report tests.
add_library(zcreportfixture STATIC ${CMAKE_CURRENT_LIST_DIR}/report_fixture.c)
target_link_libraries(zcreportfixture PUBLIC PkgConfig::JANSSON)
target_link_libraries(test_report PRIVATE zcreportfixture)
# The report in headless Chromium (Debian package chromium, which
# ci/setup.sh installs); its screenshot stays in build/report-browser/ for
# CI to upload.
add_executable(test_report_browser ${CMAKE_CURRENT_LIST_DIR}/test_report_browser.c)
target_link_libraries(test_report_browser PRIVATE zccore zctestutil zcreportfixture)
add_test(NAME test_report_browser COMMAND test_report_browser $<TARGET_FILE:zcbench>
         ${PROJECT_SOURCE_DIR}/results/sample ${CMAKE_BINARY_DIR}/report-browser)
set_tests_properties(test_report_browser PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

add_executable(test_calibrate ${CMAKE_CURRENT_LIST_DIR}/test_calibrate.c)
target_link_libraries(test_calibrate PRIVATE zccore zctestutil)
add_test(NAME test_calibrate COMMAND test_calibrate $<TARGET_FILE:zcbench>)

# The report's files call each other in layers, never in a circle (issue 14):
# checked on the built objects with nm and tsort.
add_test(NAME test_report_layers COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/report_layers.sh $<TARGET_FILE:zccore>)
