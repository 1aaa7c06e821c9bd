#include "host.h"

#include "compare/compare.h"

#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

void zc_kernel_release(char *buf, size_t len)
{
	struct utsname u;
	snprintf(buf, len, "%s", uname(&u) == 0 ? u.release : "unknown");
}

static void cpu_model(char *buf, size_t len)
{
	snprintf(buf, len, "unknown");
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "model name", 10) != 0)
			continue;
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		colon[strcspn(colon, "\n")] = 0;
		snprintf(buf, len, "%s", colon);
		break;
	}
	fclose(f);
}

json_t *zc_host_json(void)
{
	struct utsname u;
	if (uname(&u) != 0)
		memset(&u, 0, sizeof u);
	char model[256];
	cpu_model(model, sizeof model);
	struct sysinfo si;
	json_t *mem = sysinfo(&si) == 0 ? json_integer((json_int_t)si.totalram * si.mem_unit) : json_null();
	/* Under emulation timings mean little and counts still mean a lot:
	 * compare leaves timing metrics out when either file says so. */
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:o,s:b}", "kernel_release", u.release, "kernel_version", u.version,
			 "machine", u.machine, "cpu_model", model, "cpus", (json_int_t)sysconf(_SC_NPROCESSORS_ONLN),
			 "mem_bytes", mem, "emulated", zc_host_emulated());
}
