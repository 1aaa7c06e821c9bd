# File safety: output paths, the private cache, sizes, generation under
# signals, the sweep of dead processes' files and the pattern's checksum
# (root: it mounts tmpfs and plants files as nobody; else skipped, 77).
add_executable(test_file_safety test_file_safety.c)
target_link_libraries(test_file_safety PRIVATE zccore zctestutil)
add_test(NAME test_file_safety COMMAND test_file_safety $<TARGET_FILE:zcbench>)
set_tests_properties(test_file_safety PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)
