# ZC_STATIC: link zcbench as one static executable, so it runs in an
# initramfs with nothing else beside it (ci/kernels boots it under qemu).
#
# Debian 12 ships the static archives: libjansson.a (libjansson-dev),
# libbpf.a (libbpf-dev), libelf.a (libelf-dev), libz.a (zlib1g-dev). The
# libraries' pkg-config imported targets name the shared objects by full
# path, which -static refuses; so, in a static build, the libraries that
# zccore and zcprobes hand on to what links them are swapped for the static
# archives and what those need in turn (pkg-config --static): jansson always,
# libbpf (with libelf and zlib) when the probes library was built with eBPF.
# zcprobes still compiles against its own targets; only what is linked
# changes. Nothing here runs unless -DZC_STATIC=ON.
option(ZC_STATIC "Link zcbench statically (libc, jansson, libbpf, libelf, zlib); for ci/kernels" OFF)

if(ZC_STATIC)
  set(zc_static_pkgs jansson)
  set(zc_static_targets zccore)
  # The probes library is configured in its own directory, so its imported
  # PkgConfig::LIBBPF is not visible here: read what zcprobes links instead.
  if(TARGET zcprobes)
    list(APPEND zc_static_targets zcprobes)
    get_target_property(zc_probe_libs zcprobes INTERFACE_LINK_LIBRARIES)
    if(zc_probe_libs MATCHES "LIBBPF|libbpf|(^|;)bpf(;|$)")
      list(APPEND zc_static_pkgs libbpf)
    endif()
  endif()
  pkg_check_modules(ZC_STATIC_DEPS REQUIRED ${zc_static_pkgs})
  set(zc_static_archives)
  foreach(lib ${ZC_STATIC_DEPS_STATIC_LIBRARIES})
    find_library(zc_static_${lib} NAMES lib${lib}.a HINTS ${ZC_STATIC_DEPS_STATIC_LIBRARY_DIRS})
    if(NOT zc_static_${lib})
      message(FATAL_ERROR "ZC_STATIC: lib${lib}.a not found (install the -dev package that ships it)")
    endif()
    list(APPEND zc_static_archives ${zc_static_${lib}})
  endforeach()
  # libbpf.a needs libelf.a and libz.a after it; jansson stands alone.
  foreach(t ${zc_static_targets})
    get_target_property(libs ${t} INTERFACE_LINK_LIBRARIES)
    set(out)
    set(swapped FALSE)
    foreach(l ${libs})
      if(l MATCHES "^PkgConfig::(JANSSON|LIBBPF)$" OR l MATCHES "/lib(jansson|bpf|elf|z)\\.so")
        if(NOT swapped)
          list(APPEND out ${zc_static_archives})
          set(swapped TRUE)
        endif()
      else()
        list(APPEND out ${l})
      endif()
    endforeach()
    set_property(TARGET ${t} PROPERTY INTERFACE_LINK_LIBRARIES ${out})
  endforeach()
  target_link_options(zcbench PRIVATE -static)
  message(STATUS "zcbench: static link with ${zc_static_archives}")
endif()
