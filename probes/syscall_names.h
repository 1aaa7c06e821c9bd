/* x86_64 syscall numbers to names (generated table, probes/syscall_names.c). */
#ifndef ZC_SYSCALL_NAMES_H
#define ZC_SYSCALL_NAMES_H

#include "zc_bpf_shared.h"

/* NULL where the number has no syscall. */
extern const char *const zc_syscall_names[ZC_NSYS];

#endif
