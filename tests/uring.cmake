# The io_uring and MSG_ZEROCOPY strategies (issue 4): skip reasons for a
# missing io_uring op (forced with ZCBENCH_IO_URING_HIDE_OPS), io_uring at
# queue depths 1 and 8 byte-exact, and the zero-copy sends' counts and path.
# Byte-exact checks of every pair are in test_verify_matrix.
foreach(t test_uring test_zerocopy)
  add_executable(${t} ${t}.c)
  target_link_libraries(${t} PRIVATE zccore zctestutil)
  add_test(NAME ${t} COMMAND ${t} $<TARGET_FILE:zcbench>)
endforeach()
