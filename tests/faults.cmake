# Faults injected (issue 10): a peer that resets, a full destination
# filesystem (root: mounts a tmpfs, else skipped), a signal storm at the
# subject, 4 KiB socket buffers, a peer stopped for 2 s. One test each; the
# timeouts are generous bounds on a hang, never a measurement.
add_executable(test_faults test_faults.c)
target_link_libraries(test_faults PRIVATE zccore zctestutil)
foreach(f reset enospc signals sockbuf peerstop)
  add_test(NAME test_faults_${f} COMMAND test_faults $<TARGET_FILE:zcbench> ${f})
  set_tests_properties(test_faults_${f} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
endforeach()
