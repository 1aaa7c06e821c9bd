# UDP and the network paths (issue 17): every UDP strategy byte-exact over
# loopback with exact datagram counts; loss of a known kind counted exactly
# against the kernel's own count; veth between namespaces, the blackhole's
# uncopied zero-copy sends, and nothing left behind after SIGKILL (root:
# else skipped, 77).
add_executable(test_udp test_udp.c)
target_link_libraries(test_udp PRIVATE zccore zctestutil)
add_test(NAME test_udp COMMAND test_udp $<TARGET_FILE:zcbench>)
add_executable(test_netns test_netns.c)
target_link_libraries(test_netns PRIVATE zccore zctestutil)
add_test(NAME test_netns COMMAND test_netns $<TARGET_FILE:zcbench>)
set_tests_properties(test_netns PROPERTIES SKIP_RETURN_CODE 77)
