# The io_uring strategies (issue 4): io_uring.c (in zccore's list in the top
# CMakeLists.txt) holds the io_uring entry; the others and their shared
# pipeline are added here, with liburing.
target_sources(zccore PRIVATE
  ${PROJECT_SOURCE_DIR}/strategies/io_uring_util.c
  ${PROJECT_SOURCE_DIR}/strategies/io_uring_splice.c
  ${PROJECT_SOURCE_DIR}/strategies/io_uring_send_zc.c
)
pkg_check_modules(URING REQUIRED IMPORTED_TARGET liburing)
if(ZC_STATIC)
  # static.cmake (included before this file) swapped the other libraries
  # for their archives; liburing ships liburing.a and needs nothing else.
  find_library(zc_static_uring NAMES liburing.a HINTS ${URING_LIBRARY_DIRS})
  if(NOT zc_static_uring)
    message(FATAL_ERROR "ZC_STATIC: liburing.a not found (install liburing-dev)")
  endif()
  target_include_directories(zccore PRIVATE ${URING_INCLUDE_DIRS})
  target_link_libraries(zccore PUBLIC ${zc_static_uring})
else()
  target_link_libraries(zccore PUBLIC PkgConfig::URING)
endif()
