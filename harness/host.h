/* What machine a result came from. */
#ifndef ZC_HOST_H
#define ZC_HOST_H

#include <jansson.h>

/* The "host" object: kernel_release, kernel_version, machine, cpu_model,
 * cpus, mem_bytes. New reference. */
json_t *zc_host_json(void);

/* The running kernel's release (uname -r) into buf. */
void zc_kernel_release(char *buf, size_t len);

#endif
