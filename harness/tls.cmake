# TLS records (--inspect encrypt, --ktls): AES-128-GCM from OpenSSL's
# libcrypto (Debian: libssl-dev, which ships libcrypto.a for ZC_STATIC too).
target_sources(zccore PRIVATE
  ${PROJECT_SOURCE_DIR}/workloads/tls_record.c
  ${PROJECT_SOURCE_DIR}/workloads/ktls.c
  ${PROJECT_SOURCE_DIR}/harness/price.c)
if(ZC_STATIC)
  # static.cmake (read before this file) swapped the shared libraries for
  # archives; libcrypto joins them here. Its static archive wants -ldl and
  # threads.
  find_library(zc_static_crypto NAMES libcrypto.a)
  if(NOT zc_static_crypto)
    message(FATAL_ERROR "ZC_STATIC: libcrypto.a not found (install libssl-dev)")
  endif()
  target_link_libraries(zccore PUBLIC ${zc_static_crypto} ${CMAKE_DL_LIBS} Threads::Threads)
else()
  pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)
  target_link_libraries(zccore PUBLIC PkgConfig::LIBCRYPTO)
endif()
