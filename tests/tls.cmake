# Encryption on the data path (issue 16): records round-tripped, --inspect
# encrypt byte-exact, a wrong key and a corrupted record refused with the
# offset, --ktls skipped where the kernel has no TLS. The kTLS run in a 6.12
# guest is test_ktls_guest (ci/kernels; root, qemu; ZC_SKIP_KERNELS=1 skips).
add_executable(test_tls test_tls.c)
target_link_libraries(test_tls PRIVATE zccore zctestutil)
add_test(NAME test_tls COMMAND test_tls $<TARGET_FILE:zcbench>)
add_test(NAME test_ktls_guest COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/ktls_guest.sh ${PROJECT_SOURCE_DIR}
  ${CMAKE_BINARY_DIR})
set_tests_properties(test_ktls_guest PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1800 RESOURCE_LOCK kernels_static)
