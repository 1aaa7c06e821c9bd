# File safety: output paths, the private cache, sizes, generation under
# signals, the sweep of dead processes' files and the pattern's checksum
# (root: it mounts tmpfs and plants files as nobody; else skipped, 77).
add_executable(test_file_safety test_file_safety.c)
target_link_libraries(test_file_safety PRIVATE zccore zctestutil)
add_test(NAME test_file_safety COMMAND test_file_safety $<TARGET_FILE:zcbench>)
set_tests_properties(test_file_safety PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)

# The temp of a result file whose writer was killed mid-write is removed by
# the next command writing into that directory; nothing else is.
add_executable(test_out_sweep test_out_sweep.c)
target_link_libraries(test_out_sweep PRIVATE zccore zctestutil)
add_test(NAME test_out_sweep COMMAND test_out_sweep $<TARGET_FILE:zcbench>)
set_tests_properties(test_out_sweep PROPERTIES TIMEOUT 300)
