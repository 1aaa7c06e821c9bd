# The remote peer (issue 17): zcbench peer as a process of its own on
# 127.0.0.1, run --peer against it.
add_executable(test_remote_peer ${CMAKE_CURRENT_LIST_DIR}/test_remote_peer.c)
target_link_libraries(test_remote_peer PRIVATE zccore zctestutil)
add_test(NAME test_remote_peer COMMAND test_remote_peer $<TARGET_FILE:zcbench>)
set_tests_properties(test_remote_peer PROPERTIES TIMEOUT 600)
