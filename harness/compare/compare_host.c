/* Is this CPU emulated? Under qemu's TCG every instruction is translated,
 * so timings mean little while counts (syscalls, bytes, switches) still
 * mean a lot: result files record it as host.emulated and compare leaves
 * timing metrics out for such files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "compare.h"

/* The CPUID hypervisor signature (leaf 0x40000000) into sig (13 bytes), or
 * "" when the CPU reports no hypervisor. */
static void hypervisor_signature(char sig[13])
{
	sig[0] = 0;
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = 0;
#endif
}

/* Whether /proc/cpuinfo names qemu's own CPU models. */
static int qemu_model(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	if (!f)
		return 0;
	char line[512];
	int found = 0;
	while (!found && fgets(line, sizeof line, f))
		if (strncmp(line, "model name", 10) == 0)
			found = strstr(line, "QEMU Virtual CPU") || strstr(line, "QEMU TCG CPU");
	fclose(f);
	return found;
}

int zc_host_emulated(void)
{
	const char *env = getenv("ZCBENCH_EMULATED");
	if (env && *env) {
		if (!strcmp(env, "1") || !strcasecmp(env, "yes") || !strcasecmp(env, "true"))
			return 1;
		if (!strcmp(env, "0") || !strcasecmp(env, "no") || !strcasecmp(env, "false"))
			return 0;
	}
	char sig[13];
	hypervisor_signature(sig);
	if (strcmp(sig, "TCGTCGTCGTCG") == 0)
		return 1;
	/* A hardware-assisted hypervisor: the guest's instructions run natively. */
	static const char *const native[] = {"KVMKVMKVM",    "Microsoft Hv", "VMwareVMware", "XenVMMXenVMM",
					     "bhyve bhyve ", " lrpepyh  vr", "ACRNACRNACRN", "QNXQVMBSQG"};
	for (size_t i = 0; i < sizeof native / sizeof native[0]; i++)
		if (strncmp(sig, native[i], strlen(native[i])) == 0)
			return 0;
	return qemu_model();
}
