# zcbench compare: the Mann-Whitney U test against published values, and the
# command on crafted result files (tests/data/compare) with known outcomes.
add_executable(test_compare_mannwhitney test_compare_mannwhitney.c)
target_link_libraries(test_compare_mannwhitney PRIVATE zccore)
add_test(NAME test_compare_mannwhitney COMMAND test_compare_mannwhitney)

add_executable(test_compare test_compare.c)
target_link_libraries(test_compare PRIVATE zccore zctestutil)
add_test(NAME test_compare COMMAND test_compare $<TARGET_FILE:zcbench> ${CMAKE_CURRENT_SOURCE_DIR}/data/compare)

# The CI scripts: the baseline gate, bench-quick, the serial-log extractor,
# ci/kernels's command line, and the workflow's shape.
add_executable(test_compare_ci test_compare_ci.c)
target_link_libraries(test_compare_ci PRIVATE zccore zctestutil)
add_test(NAME test_compare_ci COMMAND test_compare_ci $<TARGET_FILE:zcbench> ${PROJECT_SOURCE_DIR})

# ci/kernels for real: the oldest (5.10) and the newest Debian kernel under
# qemu, exact counts checked inside each (about 90 s under TCG here once the
# kernels are in build-kernels/). Skipped (77) without qemu, busybox-static and
# cpio (bash ci/setup-kernels.sh), without root, or with ZC_SKIP_KERNELS=1.
add_executable(test_compare_kernels test_compare_kernels.c)
target_link_libraries(test_compare_kernels PRIVATE zccore zctestutil)
add_test(NAME test_compare_kernels COMMAND test_compare_kernels ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR})
set_tests_properties(test_compare_kernels PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1800 RESOURCE_LOCK kernels_static)

# The gate's statistics (Student's t, Welch, Benjamini-Hochberg) against exact
# references.
add_executable(test_compare_stats test_compare_stats.c)
target_link_libraries(test_compare_stats PRIVATE zccore m)
add_test(NAME test_compare_stats COMMAND test_compare_stats)

# compare prints a cell at a time: byte for byte what the whole document
# would print, on the crafted files and a generated 3,000-cell comparison.
add_executable(test_compare_stream test_compare_stream.c)
target_link_libraries(test_compare_stream PRIVATE zccore zctestutil)
add_test(NAME test_compare_stream COMMAND test_compare_stream $<TARGET_FILE:zcbench>
  ${CMAKE_CURRENT_SOURCE_DIR}/data/compare)
