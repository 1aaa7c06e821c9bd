/* perf_event counters of the subject.
 *
 * The subject opens each counter on each of its threads (pid = tid, any CPU,
 * inherit, so threads it creates later count too, starting disabled) before
 * it reports ready. Its window_begin enables them all with one
 * prctl(PR_TASK_PERF_EVENTS_ENABLE) before the eBPF window opens; window_end
 * disables them after the eBPF window closed, reads them, sums them over
 * threads and writes the sums into a MAP_SHARED page the parent mapped before
 * any fork. So the counts cover the copy plus the two prctl calls' own entry
 * and exit, and the eBPF syscall counts see neither prctl.
 *
 * inherit forbids PERF_FORMAT_GROUP, so each counter is its own event, read
 * with TOTAL_TIME_ENABLED and TOTAL_TIME_RUNNING. A counter that was
 * multiplexed (running < enabled) is scaled by enabled / running, thread by
 * thread, and says so; one that never ran is "not_counted". enabled_ns and
 * running_ns are sums over the threads counted. A counter not measured is never 0: its
 * value is null. */
#include "probes_internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CACHE_EVENT(cache, op, result) ((cache) | ((op) << 8) | ((result) << 16))

const struct zc_perf_def zc_perf_defs[ZC_NPERF] = {
	{"cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, true},
	{"instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, true},
	{"cache_references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES, true},
	{"cache_misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, true},
	{"l1d_read_misses", PERF_TYPE_HW_CACHE,
	 CACHE_EVENT(PERF_COUNT_HW_CACHE_L1D, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_MISS), true},
	{"llc_read_misses", PERF_TYPE_HW_CACHE,
	 CACHE_EVENT(PERF_COUNT_HW_CACHE_LL, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_MISS), true},
	{"page_faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, false},
	{"context_switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, false},
	{"cpu_migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, false},
	{"task_clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, false},
};

int zc_read_int_file(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return INT_MIN;
	int v;
	int n = fscanf(f, "%d", &v);
	fclose(f);
	return n == 1 ? v : INT_MIN;
}

/* Open counter i on thread tid (0: the caller). Returns the descriptor, or
 * -errno. When the kernel refuses to count kernel mode (perf_event_paranoid
 * >= 2 without CAP_PERFMON), retries counting user mode only. */
static int open_counter(int i, pid_t tid, bool *user_only)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof a);
	a.size = sizeof a;
	a.type = zc_perf_defs[i].type;
	a.config = zc_perf_defs[i].config;
	a.disabled = 1;
	a.inherit = 1;
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	*user_only = false;
	long fd = syscall(SYS_perf_event_open, &a, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		int first = errno;
		a.exclude_kernel = 1;
		a.exclude_hv = 1;
		fd = syscall(SYS_perf_event_open, &a, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd >= 0)
			*user_only = true;
		else if (errno == EACCES || errno == EPERM || errno == EINVAL)
			errno = first; /* still refused: say so */
				       /* else the real obstacle once permission is out of the way, e.g.
					* ENOENT where there is no PMU */
	}
	return fd < 0 ? -errno : (int)fd;
}

void zc_perf_init(struct zc_perf *p, bool enabled)
{
	memset(p, 0, sizeof *p);
	p->paranoid = zc_read_int_file("/proc/sys/kernel/perf_event_paranoid");
	if (!enabled)
		return;
	void *m = mmap(NULL, sizeof(struct zc_perf_page), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		for (int i = 0; i < ZC_NPERF; i++)
			p->probe_err[i] = errno;
		return;
	}
	p->page = m;
	p->on = true;
	/* A trial open, so the status says before any run what will be counted. */
	for (int i = 0; i < ZC_NPERF; i++) {
		int fd = open_counter(i, 0, &p->probe_user_only[i]);
		if (fd >= 0)
			close(fd);
		else
			p->probe_err[i] = -fd;
	}
}

void zc_perf_fini(struct zc_perf *p)
{
	if (p->page)
		munmap(p->page, sizeof *p->page);
	p->page = NULL;
	p->on = false;
}

void zc_perf_arm(struct zc_perf *p)
{
	if (p->on)
		memset(p->page, 0, sizeof *p->page);
}

/* The subject's threads: its main thread first (as 0, "the caller"), then
 * the others listed in /proc/self/task. Returns the count. */
static int list_tasks(pid_t **out)
{
	int n = 1, cap = 8;
	pid_t *t = malloc((size_t)cap * sizeof *t);
	if (!t)
		return 0;
	t[0] = 0;
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	pid_t self = getpid();
	while (d && (e = readdir(d))) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0 || tid == self)
			continue;
		if (n == cap) {
			pid_t *m = realloc(t, (size_t)(cap *= 2) * sizeof *t);
			if (!m)
				break;
			t = m;
		}
		t[n++] = tid;
	}
	if (d)
		closedir(d);
	*out = t;
	return n;
}

void zc_perf_subject_init(struct zc_perf *p)
{
	if (!p->on)
		return;
	p->self = getpid();
	p->nopen = 0;
	pid_t *tasks = NULL;
	p->ntasks = list_tasks(&tasks);
	p->fd = p->ntasks ? malloc((size_t)p->ntasks * ZC_NPERF * sizeof *p->fd) : NULL;
	if (!p->fd) {
		p->ntasks = 0;
		for (int i = 0; i < ZC_NPERF; i++)
			p->open_err[i] = ENOMEM;
		free(tasks);
		return;
	}
	for (int t = 0; t < p->ntasks; t++) {
		for (int i = 0; i < ZC_NPERF; i++) {
			int *fd = &p->fd[t * ZC_NPERF + i];
			*fd = -1;
			if (t > 0 && p->open_err[i])
				continue; /* not available on the main thread */
			bool user_only;
			int r = open_counter(i, tasks[t], &user_only);
			if (r >= 0) {
				*fd = r;
				p->nopen++;
				if (t == 0)
					p->user_only[i] = user_only;
			} else if (t == 0) {
				p->open_err[i] = -r;
			} /* else: the thread exited meanwhile, nothing to count */
		}
	}
	free(tasks);
}

/* One enable for every counter this task owns, whichever thread it counts. */
void zc_perf_begin(struct zc_perf *p)
{
	if (p->on && p->nopen)
		prctl(PR_TASK_PERF_EVENTS_ENABLE, 0, 0, 0, 0);
}

void zc_perf_end(struct zc_perf *p)
{
	if (!p->on)
		return;
	if (p->nopen)
		prctl(PR_TASK_PERF_EVENTS_DISABLE, 0, 0, 0, 0);
	struct zc_perf_page *pg = p->page;
	for (int i = 0; i < ZC_NPERF; i++) {
		struct zc_perf_slot *s = &pg->slot[i];
		memset(s, 0, sizeof *s);
		s->open_err = p->open_err[i];
		s->user_only = p->user_only[i];
		double scaled = 0;
		for (int t = 0; t < p->ntasks; t++) {
			int fd = p->fd[t * ZC_NPERF + i];
			if (fd < 0)
				continue;
			uint64_t v[3];
			/* Not closed: the subject exits soon, and every syscall here
			 * lengthens the harness's getrusage bracket. */
			ssize_t n = read(fd, v, sizeof v);
			if (n != (ssize_t)sizeof v) {
				s->read_err = n < 0 ? errno : EIO;
				continue;
			}
			s->nthreads++;
			s->raw += v[0];
			s->enabled_ns += v[1];
			s->running_ns += v[2];
			if (v[2] == 0)
				continue;
			s->ran++;
			if (v[2] < v[1]) {
				s->multiplexed++;
				scaled += (double)v[0] * (double)v[1] / (double)v[2];
			} else {
				scaled += (double)v[0];
			}
		}
		s->value = (uint64_t)(scaled + 0.5);
	}
	free(p->fd);
	p->fd = NULL;
	p->ntasks = 0;
	p->nopen = 0;
	pg->pid = p->self;
	__atomic_store_n(&pg->reported, 1, __ATOMIC_RELEASE);
}

static json_t *counter_json(json_t *value, json_t *enabled, json_t *running, const char *status, const char *reason)
{
	json_t *j = json_object();
	json_object_set_new(j, "value", value);
	json_object_set_new(j, "enabled_ns", enabled);
	json_object_set_new(j, "running_ns", running);
	json_object_set_new(j, "status", json_string(status));
	json_object_set_new(j, "reason", reason ? json_string(reason) : json_null());
	return j;
}

static void not_supported_reason(const struct zc_perf *p, int err, char *buf, size_t len)
{
	if ((err == EACCES || err == EPERM) && p->paranoid != INT_MIN)
		snprintf(buf, len, "%s (perf_event_paranoid=%d)", strerror(err), p->paranoid);
	else
		snprintf(buf, len, "%s", strerror(err));
}

json_t *zc_perf_collect(const struct zc_perf *p, pid_t subject)
{
	json_t *out = json_object();
	const struct zc_perf_page *pg = p->page;
	bool reported = pg && __atomic_load_n(&pg->reported, __ATOMIC_ACQUIRE) && pg->pid == subject;
	for (int i = 0; i < ZC_NPERF; i++) {
		char reason[160];
		json_t *j;
		if (!reported) {
			if (p->probe_err[i]) {
				not_supported_reason(p, p->probe_err[i], reason, sizeof reason);
				j = counter_json(json_null(), json_null(), json_null(), "not_supported", reason);
			} else {
				j = counter_json(json_null(), json_null(), json_null(), "not_counted",
						 "the subject did not report its counters");
			}
		} else {
			const struct zc_perf_slot *s = &pg->slot[i];
			if (s->open_err) {
				not_supported_reason(p, s->open_err, reason, sizeof reason);
				j = counter_json(json_null(), json_null(), json_null(), "not_supported", reason);
			} else if (s->read_err) {
				snprintf(reason, sizeof reason, "read: %s", strerror(s->read_err));
				j = counter_json(json_null(), json_null(), json_null(), "not_counted", reason);
			} else if (s->ran == 0) {
				j = counter_json(json_null(), json_integer((json_int_t)s->enabled_ns),
						 json_integer((json_int_t)s->running_ns), "not_counted",
						 "the counter never ran on a PMU during the window");
			} else {
				const char *why = NULL;
				if (s->multiplexed) {
					snprintf(reason, sizeof reason,
						 "scaled by enabled/running: multiplexed, counted %.1f%% of the "
						 "window%s",
						 100.0 * (double)s->running_ns / (double)s->enabled_ns,
						 s->user_only ? "; user space only" : "");
					why = reason;
				} else if (s->user_only) {
					snprintf(reason, sizeof reason,
						 "user space only: kernel mode excluded (perf_event_paranoid=%d)",
						 p->paranoid);
					why = reason;
				}
				j = counter_json(json_integer((json_int_t)s->value),
						 json_integer((json_int_t)s->enabled_ns),
						 json_integer((json_int_t)s->running_ns), "ok", why);
			}
		}
		json_object_set_new(out, zc_perf_defs[i].name, j);
	}
	return out;
}

json_t *zc_perf_status_json(const struct zc_perf *p, bool enabled)
{
	json_t *out = json_object();
	for (int i = 0; i < ZC_NPERF; i++) {
		json_t *j;
		char reason[160];
		if (!enabled) {
			j = json_pack("{s:s,s:s}", "status", "disabled", "reason", "--no-probes");
		} else if (p->probe_err[i]) {
			not_supported_reason(p, p->probe_err[i], reason, sizeof reason);
			j = json_pack("{s:s,s:s}", "status", "not_supported", "reason", reason);
		} else if (p->probe_user_only[i]) {
			snprintf(reason, sizeof reason,
				 "user space only: kernel mode excluded (perf_event_paranoid=%d)", p->paranoid);
			j = json_pack("{s:s,s:s}", "status", "ok", "reason", reason);
		} else {
			j = json_pack("{s:s,s:n}", "status", "ok", "reason");
		}
		json_object_set_new(out, zc_perf_defs[i].name, j);
	}
	return out;
}

static const char *paranoid_meaning(int v)
{
	if (v == INT_MIN)
		return "unknown (cannot read /proc/sys/kernel/perf_event_paranoid)";
	if (v <= -1)
		return "no restrictions";
	if (v == 0)
		return "unprivileged users may count CPU-wide, no raw tracepoints";
	if (v == 1)
		return "unprivileged users may count their processes, user and kernel mode";
	if (v == 2)
		return "unprivileged users may count their processes in user mode only";
	return "unprivileged users may not use perf_event_open at all (Debian's default)";
}

void zc_perf_doctor(const struct zc_perf *p, FILE *out)
{
	bool root = geteuid() == 0;
	fprintf(out, "perf_event counters\n");
	fprintf(out, "  perf_event_paranoid: %d: %s\n", p->paranoid, paranoid_meaning(p->paranoid));
	bool hw_missing = false, denied = false;
	for (int i = 0; i < ZC_NPERF; i++) {
		int err = p->probe_err[i];
		if (!p->on) {
			fprintf(out, "  [--] %-18s not tried\n", zc_perf_defs[i].name);
			continue;
		}
		if (!err) {
			fprintf(out, "  [ok] %-18s %s\n", zc_perf_defs[i].name,
				p->probe_user_only[i] ? "ok, user space only (kernel mode excluded)" : "ok");
			continue;
		}
		fprintf(out, "  [!!] %-18s not supported: %s\n", zc_perf_defs[i].name, strerror(err));
		if (zc_perf_defs[i].hardware && (err == ENOENT || err == EOPNOTSUPP || err == ENODEV))
			hw_missing = true;
		if (err == EACCES || err == EPERM)
			denied = true;
	}
	if (hw_missing)
		fprintf(out,
			"       -> no hardware PMU is visible (usual in a VM): the hardware counters stay null.\n"
			"          Expose a virtual PMU to the guest (KVM/QEMU: -cpu host,pmu=on; cloud: an\n"
			"          instance type with PMU access) to get cycles, instructions and cache misses.\n");
	if (denied)
		fprintf(out,
			"       -> perf_event_open was refused%s: run as root, grant CAP_PERFMON, or lower\n"
			"          the limit: sysctl kernel.perf_event_paranoid=1\n",
			root ? "" : " (not root)");
}
