/* The one table of workloads. */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "../strategies/strategy.h"
#include "workload.h"

static const struct zc_workload file_tcp = {
	.name = "file-tcp",
	.description = "a regular file to a TCP connection on loopback, drained by a peer process",
	.source = ZC_EP_FILE,
	.sink = ZC_EP_TCP,
	.sink_ops = &zc_sink_tcp,
};

static const struct zc_workload file_file = {
	.name = "file-file",
	.description = "a regular file to another file in the same directory",
	.source = ZC_EP_FILE,
	.sink = ZC_EP_FILE,
	.sink_ops = &zc_sink_file,
};

const struct zc_workload *const zc_workloads[] = {&file_tcp, &file_file};
const size_t zc_workload_count = sizeof zc_workloads / sizeof zc_workloads[0];

const char *const zc_drain_names[] = {"trunc", "read", "splice"};

const struct zc_workload *zc_workload_find(const char *name)
{
	for (size_t i = 0; i < zc_workload_count; i++)
		if (strcmp(zc_workloads[i]->name, name) == 0)
			return zc_workloads[i];
	return NULL;
}

int zc_pin_cpu(int cpu)
{
	if (cpu < 0)
		return 0;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : errno;
}
