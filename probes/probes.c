/* Probes: eBPF counters of the subject's syscalls, bytes and context switches,
 * and perf_event counters (perf.c), confined to the subject's window.
 *
 * eBPF. The parent loads and attaches three programs once per invocation
 * (raw_syscalls:sys_enter, raw_syscalls:sys_exit, sched:sched_switch) as
 * tp_btf, or as raw_tp when the kernel refuses tp_btf; neither needs tracefs.
 * Their window control (an enabled flag and the subject's tgid) is a global
 * variable (.data.ctl), which libbpf maps MAP_SHARED into this process: the
 * forked subject inherits the mapping, so its window_begin and window_end are
 * single stores to that memory, with no syscall, and the harness's own
 * syscalls never land in a count. The programs return at once unless the
 * flag is set and the current task belongs to that tgid. The counters live
 * in a per-CPU array (plain increments, no atomics: one CPU only touches its
 * own copy) that also holds the CPU's in-progress syscall of the subject; a
 * thread switching out mid-syscall moves its record to a small hash keyed by
 * thread id. The parent sets the tgid and zeroes the counters in
 * zc_probes_arm and reads and sums them in zc_probes_collect.
 *
 * What is counted (all for the subject's threads only, inside the window).
 * The subject registers its stream threads and its own helper threads in the
 * same global data (zc_probes_register_threads); every other thread of the
 * process is an io_uring worker.
 * - syscalls of the stream threads: a syscall counts when both its entry and
 *   its exit happen inside the window, by number, named with the x86_64
 *   table (syscall_names.c); the harness threads' entries are counted apart;
 * - the stream threads' time inside those syscalls while on CPU (entry to
 *   exit, less the time switched out meanwhile): their kernel time;
 * - bytes from positive return values: to_user (read family, recv family),
 *   from_user (write family, send family), pinned_from_user (vmsplice: the
 *   pipe references the pages; MSG_ZEROCOPY sends the kernel did not copy
 *   are moved here later, from the strategy's completion reports), in_kernel
 *   (sendfile, splice, tee, copy_file_range). Both legs of a splice through a pipe
 *   (source -> pipe and pipe -> sink) count, so a splice copy of N bytes
 *   shows 2N in_kernel bytes; sendfile and copy_file_range count N once;
 * - latency of the data-moving syscalls as log2 histograms in ns (bucket i:
 *   [2^i, 2^(i+1)) ns; trailing empty buckets are left out);
 * - context switches from sched_switch: voluntary (the thread blocked: not
 *   preempted and not TASK_RUNNING, the kernel's nvcsw) and involuntary
 *   (preempted or yielding while runnable, nivcsw), and off-CPU time from
 *   switch-out to switch-in, per thread class (streams, io_uring workers,
 *   harness) and per stream (a switch-out count the subject reads with no
 *   syscall). A thread still off CPU when the window closes adds nothing for
 *   that last stretch.
 *
 * The struct zc_probes instance is the only mutable state. */
#include "probes.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kwork.h"
#include "probes_internal.h"
#include "syscall_names.h"
#include "zc_bpf_shared.h"

#ifdef ZC_HAVE_BPF
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "zc.skel.h"
#endif

#define GIB	     1073741824.0
#define KERNEL_BTF   "/sys/kernel/btf/vmlinux"
#define NOT_BUILT_IN "built without eBPF support"

enum ebpf_state { EBPF_OK, EBPF_UNAVAILABLE, EBPF_DISABLED };

struct zc_probes {
	bool enabled;
	enum ebpf_state ebpf;
	char ebpf_reason[256];
	const char *attach; /* "tp_btf" or "raw_tp" once loaded */
#ifdef ZC_HAVE_BPF
	struct zc_bpf *skel;
	int ncpus;		      /* possible CPUs: copies of the per-CPU value */
	struct zc_cpu *cpus;	      /* ncpus values, for reading and zeroing the map */
	struct zc_cpu *total;	      /* their sum */
	struct bpf_program *progs[3]; /* the attached set */
	uint64_t misses_at_arm;	      /* their recursion misses when armed */
#endif
	struct zc_perf perf;
	struct zc_kwork *kwork; /* kernel-side work (kwork.c), NULL when not loaded */
	char kwork_reason[200];
};

/* The data-moving syscalls: their byte class, and each gets a latency
 * histogram (slot = index here). recvmmsg and sendmmsg return a message
 * count, not bytes, so they have no byte class. */
static const struct {
	const char *name;
	unsigned char cls;
} data_syscalls[] = {
	{"read", ZC_CLASS_TO_USER},	  {"pread64", ZC_CLASS_TO_USER},  {"readv", ZC_CLASS_TO_USER},
	{"preadv", ZC_CLASS_TO_USER},	  {"preadv2", ZC_CLASS_TO_USER},  {"recvfrom", ZC_CLASS_TO_USER},
	{"recvmsg", ZC_CLASS_TO_USER},	  {"recvmmsg", ZC_CLASS_NONE},	  {"write", ZC_CLASS_FROM_USER},
	{"pwrite64", ZC_CLASS_FROM_USER}, {"writev", ZC_CLASS_FROM_USER}, {"pwritev", ZC_CLASS_FROM_USER},
	{"pwritev2", ZC_CLASS_FROM_USER}, {"sendto", ZC_CLASS_FROM_USER}, {"sendmsg", ZC_CLASS_FROM_USER},
	{"sendmmsg", ZC_CLASS_NONE},	  {"vmsplice", ZC_CLASS_PINNED},  {"sendfile", ZC_CLASS_IN_KERNEL},
	{"splice", ZC_CLASS_IN_KERNEL},	  {"tee", ZC_CLASS_IN_KERNEL},	  {"copy_file_range", ZC_CLASS_IN_KERNEL},
};
#define NDATA (sizeof data_syscalls / sizeof data_syscalls[0])
_Static_assert(NDATA <= ZC_NHIST, "more histogram slots needed");

/* CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON, in the effective set. */
static bool has_bpf_caps(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return geteuid() == 0;
	char line[256];
	unsigned long long eff = 0;
	bool found = false;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			found = true;
			break;
		}
	fclose(f);
	if (!found)
		return geteuid() == 0;
	const unsigned long long sys_admin = 1ull << 21, perfmon = 1ull << 38, bpf = 1ull << 39;
	return (eff & sys_admin) || ((eff & bpf) && (eff & perfmon));
}

static void set_unavailable(struct zc_probes *pr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_unavailable(struct zc_probes *pr, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pr->ebpf_reason, sizeof pr->ebpf_reason, fmt, ap);
	va_end(ap);
	pr->ebpf = EBPF_UNAVAILABLE;
}

#ifdef ZC_HAVE_BPF
static int syscall_nr(const char *name)
{
	for (int nr = 0; nr < ZC_NSYS; nr++)
		if (zc_syscall_names[nr] && strcmp(zc_syscall_names[nr], name) == 0)
			return nr;
	return -1;
}

/* libbpf's messages (verifier logs of a refused tp_btf load, for one) stay
 * quiet unless ZC_PROBES_DEBUG is set. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!getenv("ZC_PROBES_DEBUG") || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Whether the kernel's sched_switch tracepoint passes prev_state (5.18 on),
 * from its BTF: btf_trace_sched_switch is a pointer to a function whose
 * first parameter is the context, then the tracepoint's arguments. */
static bool sched_switch_has_prev_state(void)
{
	struct btf *vm = btf__load_vmlinux_btf();
	if (!vm)
		return true; /* the load fails anyway, with the reason */
	bool has = true;
	int id = btf__find_by_name_kind(vm, "btf_trace_sched_switch", BTF_KIND_TYPEDEF);
	const struct btf_type *t = id > 0 ? btf__type_by_id(vm, (__u32)id) : NULL;
	while (t && (btf_is_typedef(t) || btf_is_ptr(t)))
		t = btf__type_by_id(vm, t->type);
	if (t && btf_is_func_proto(t))
		has = btf_vlen(t) >= 5; /* ctx, preempt, prev, next, prev_state */
	btf__free(vm);
	return has;
}

/* Load the tp_btf (use_btf) or the raw_tp set of programs and attach them.
 * Returns 0, or -1 with err set. */
static int load_variant(struct zc_probes *pr, bool use_btf, char *err, size_t len)
{
	const char *kind = use_btf ? "tp_btf" : "raw_tp";
	struct zc_bpf *s = zc_bpf__open();
	if (!s) {
		snprintf(err, len, "cannot open the BPF object: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < NDATA; i++) {
		int nr = syscall_nr(data_syscalls[i].name);
		if (nr < 0)
			continue;
		s->rodata->zc_sys_class[nr] = data_syscalls[i].cls;
		s->rodata->zc_sys_hist[nr] = (unsigned char)(i + 1);
	}
	/* Receives that take MSG_TRUNC: where their flags are (see zc_bpf_shared.h). */
	int nr_recvfrom = syscall_nr("recvfrom"), nr_recvmsg = syscall_nr("recvmsg");
	if (nr_recvfrom >= 0)
		s->rodata->zc_sys_trunc_arg[nr_recvfrom] = 4;
	if (nr_recvmsg >= 0)
		s->rodata->zc_sys_trunc_arg[nr_recvmsg] = 3;
	/* Without prev_state (before 5.18) the sched_switch programs that
	 * read the state from the task stand in. */
	bool state_arg = sched_switch_has_prev_state();
	struct bpf_program *btf_progs[] = {s->progs.zc_enter_btf, s->progs.zc_exit_btf,
					   state_arg ? s->progs.zc_switch_btf : s->progs.zc_switch_nostate_btf};
	struct bpf_program *raw_progs[] = {s->progs.zc_enter_raw, s->progs.zc_exit_raw,
					   state_arg ? s->progs.zc_switch_raw : s->progs.zc_switch_nostate_raw};
	struct bpf_link **btf_links[] = {&s->links.zc_enter_btf, &s->links.zc_exit_btf,
					 state_arg ? &s->links.zc_switch_btf : &s->links.zc_switch_nostate_btf};
	struct bpf_link **raw_links[] = {&s->links.zc_enter_raw, &s->links.zc_exit_raw,
					 state_arg ? &s->links.zc_switch_raw : &s->links.zc_switch_nostate_raw};
	struct bpf_program *all_progs[] = {s->progs.zc_switch_btf, s->progs.zc_switch_nostate_btf,
					   s->progs.zc_switch_raw, s->progs.zc_switch_nostate_raw};
	for (size_t i = 0; i < sizeof all_progs / sizeof all_progs[0]; i++)
		bpf_program__set_autoload(all_progs[i], false);
	for (int i = 0; i < 3; i++) {
		bpf_program__set_autoload(btf_progs[i], use_btf);
		bpf_program__set_autoload(raw_progs[i], !use_btf);
	}
	int rc = zc_bpf__load(s);
	if (rc) {
		snprintf(err, len, "cannot load the %s programs: %s", kind, strerror(rc < 0 ? -rc : rc));
		zc_bpf__destroy(s);
		return -1;
	}
	struct bpf_program **progs = use_btf ? btf_progs : raw_progs;
	struct bpf_link ***links = use_btf ? btf_links : raw_links;
	for (int i = 0; i < 3; i++) {
		*links[i] = bpf_program__attach(progs[i]);
		if (!*links[i]) {
			snprintf(err, len, "cannot attach %s: %s", bpf_program__section_name(progs[i]),
				 strerror(errno));
			zc_bpf__destroy(s);
			return -1;
		}
	}
	pr->skel = s;
	pr->attach = kind;
	for (int i = 0; i < 3; i++)
		pr->progs[i] = progs[i];
	return 0;
}

/* Runs of the attached programs the kernel skipped because one was already
 * running on that CPU (system-wide: any task's). On kernels that run these
 * programs with preemption off there are none; where there are, counts may
 * be short, and the run says so. */
static uint64_t recursion_misses(const struct zc_probes *pr)
{
	uint64_t n = 0;
	for (int i = 0; i < 3; i++) {
		struct bpf_prog_info info;
		uint32_t len = sizeof info;
		memset(&info, 0, sizeof info);
		if (bpf_obj_get_info_by_fd(bpf_program__fd(pr->progs[i]), &info, &len) == 0)
			n += info.recursion_misses;
	}
	return n;
}

/* Buffers for the per-CPU map's values (struct zc_cpu is a multiple of 8
 * bytes, so the kernel's stride between CPUs is its size). */
_Static_assert(sizeof(struct zc_cpu) % 8 == 0, "per-CPU stride");
static int alloc_cpu_buffers(struct zc_probes *pr, char *err, size_t len)
{
	int n = libbpf_num_possible_cpus();
	if (n <= 0) {
		snprintf(err, len, "cannot count possible CPUs: %s", strerror(n < 0 ? -n : EINVAL));
		return -1;
	}
	pr->ncpus = n;
	pr->cpus = calloc((size_t)n, sizeof *pr->cpus);
	pr->total = calloc(1, sizeof *pr->total);
	if (!pr->cpus || !pr->total) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	return 0;
}

static void ebpf_close(struct zc_probes *pr);

static void ebpf_open(struct zc_probes *pr)
{
	if (!has_bpf_caps()) {
		if (geteuid() != 0)
			set_unavailable(pr, "not root (CAP_BPF and CAP_PERFMON needed)");
		else
			set_unavailable(pr, "root without CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)");
		return;
	}
	if (access(KERNEL_BTF, R_OK) != 0) {
		set_unavailable(pr, "no kernel BTF (%s: %s); the kernel needs CONFIG_DEBUG_INFO_BTF=y", KERNEL_BTF,
				strerror(errno));
		return;
	}
	libbpf_set_print(libbpf_print);
	char err_btf[200] = "tp_btf not tried (ZC_PROBES_ATTACH=raw_tp)", err_raw[200];
	/* ZC_PROBES_ATTACH=raw_tp skips tp_btf, so the fallback can be tested. */
	const char *want = getenv("ZC_PROBES_ATTACH");
	bool try_btf = !want || strcmp(want, "raw_tp") != 0;
	if ((try_btf && load_variant(pr, true, err_btf, sizeof err_btf) == 0) ||
	    load_variant(pr, false, err_raw, sizeof err_raw) == 0) {
		if (alloc_cpu_buffers(pr, err_raw, sizeof err_raw) == 0) {
			pr->ebpf = EBPF_OK;
			/* ZC_PROBES_KWORK=off leaves the per-packet and allocation
			 * tracepoints out, so their share of the observer cost can
			 * be measured (probes/bench_observer.sh). */
			const char *kw = getenv("ZC_PROBES_KWORK");
			if (kw && strcmp(kw, "off") == 0)
				snprintf(pr->kwork_reason, sizeof pr->kwork_reason, "not loaded: ZC_PROBES_KWORK=off");
			else
				pr->kwork = zc_kwork_open(pr->kwork_reason, sizeof pr->kwork_reason);
			return;
		}
		set_unavailable(pr, "%s", err_raw);
		ebpf_close(pr);
		return;
	}
	set_unavailable(pr, "%s; %s", err_btf, err_raw);
}

static void ebpf_close(struct zc_probes *pr)
{
	zc_kwork_close(pr->kwork);
	pr->kwork = NULL;
	zc_bpf__destroy(pr->skel);
	pr->skel = NULL;
	free(pr->cpus);
	free(pr->total);
	pr->cpus = pr->total = NULL;
}
#else
static void ebpf_open(struct zc_probes *pr)
{
	set_unavailable(pr, NOT_BUILT_IN);
}

static void ebpf_close(struct zc_probes *pr)
{
	(void)pr;
}
#endif

static struct zc_probes *probes_open(bool enabled, bool quiet)
{
	struct zc_probes *pr = calloc(1, sizeof *pr);
	if (!pr)
		abort();
	pr->enabled = enabled;
	zc_perf_init(&pr->perf, enabled);
	if (!enabled) {
		pr->ebpf = EBPF_DISABLED;
		snprintf(pr->ebpf_reason, sizeof pr->ebpf_reason, "--no-probes");
		return pr;
	}
	ebpf_open(pr);
	if (pr->ebpf != EBPF_OK && !quiet)
		fprintf(stderr,
			"zcbench: warning: eBPF probes unavailable: %s; syscall, byte and context-switch counters "
			"will be null (see zcbench doctor)\n",
			pr->ebpf_reason);
	return pr;
}

struct zc_probes *zc_probes_open(bool enabled)
{
	return probes_open(enabled, false);
}

void zc_probes_close(struct zc_probes *pr)
{
	if (!pr)
		return;
	ebpf_close(pr);
	zc_perf_fini(&pr->perf);
	free(pr);
}

json_t *zc_probes_status_json(const struct zc_probes *pr)
{
	static const char *const state_names[] = {"ok", "unavailable", "disabled"};
	json_t *ebpf = json_object();
	json_object_set_new(ebpf, "status", json_string(state_names[pr->ebpf]));
	json_object_set_new(ebpf, "reason", pr->ebpf == EBPF_OK ? json_null() : json_string(pr->ebpf_reason));
	json_object_set_new(ebpf, "attach", pr->ebpf == EBPF_OK ? json_string(pr->attach) : json_null());
	json_object_set_new(
		ebpf, "tracepoints",
		json_pack("[s,s,s]", "raw_syscalls:sys_enter", "raw_syscalls:sys_exit", "sched:sched_switch"));
	json_object_set_new(
		ebpf, "notes",
		json_pack("[s,s,s,s]",
			  "syscalls and bytes cover the subject's stream threads, and a syscall only when it entered "
			  "and exited inside the window; switches and off-CPU time are split by thread class in "
			  "threads (streams, io_workers, harness)",
			  "bytes come from positive syscall return values; both legs of a splice through a pipe count "
			  "in bytes.in_kernel; vmsplice and MSG_ZEROCOPY sends the kernel did not copy count in "
			  "bytes.pinned_from_user",
			  "latency: log2_buckets[i] counts calls that took [2^i, 2^(i+1)) ns",
			  "context switches: voluntary = blocked (nvcsw), involuntary = preempted while runnable "
			  "(nivcsw); getrusage around the window may see a few more, from just outside it"));
	json_object_set_new(
		ebpf, "kwork",
		pr->kwork ? zc_kwork_status_json(pr->kwork)
			  : json_pack("{s:s}", "unavailable",
				      pr->ebpf == EBPF_OK ? pr->kwork_reason : "the eBPF probes did not load"));
	json_t *j = json_object();
	json_object_set_new(j, "ebpf", ebpf);
	json_object_set_new(j, "perf", zc_perf_status_json(&pr->perf, pr->enabled));
	json_object_set_new(j, "perf_event_paranoid",
			    pr->perf.paranoid == INT_MIN ? json_null() : json_integer(pr->perf.paranoid));
	return j;
}

#ifdef ZC_HAVE_BPF
static void clear_threads(struct zc_probes *pr)
{
	int fd = bpf_map__fd(pr->skel->maps.zc_threads);
	uint32_t key;
	/* Few entries: the threads of the previous subject. */
	for (int guard = 0; guard < 100000 && bpf_map_get_next_key(fd, NULL, &key) == 0; guard++)
		bpf_map_delete_elem(fd, &key);
}
#endif

int zc_probes_arm(struct zc_probes *pr, pid_t subject)
{
	if (!pr->enabled)
		return 0;
	zc_perf_arm(&pr->perf);
#ifdef ZC_HAVE_BPF
	if (pr->skel) {
		struct zc_bpf__data_ctl *ctl = pr->skel->data_ctl;
		__atomic_store_n(&ctl->zc_enabled, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&ctl->zc_tgid, (uint32_t)subject, __ATOMIC_SEQ_CST);
		uint32_t zero = 0;
		memset(pr->cpus, 0, (size_t)pr->ncpus * sizeof *pr->cpus);
		bpf_map_update_elem(bpf_map__fd(pr->skel->maps.zc_percpu), &zero, pr->cpus, BPF_ANY);
		clear_threads(pr);
		pr->misses_at_arm = recursion_misses(pr);
		zc_kwork_arm(pr->kwork, subject);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
#else
	(void)subject;
#endif
	return 0;
}

void zc_probes_subject_init(struct zc_probes *pr)
{
	if (pr->enabled)
		zc_perf_subject_init(&pr->perf);
}

void zc_probes_register_threads(struct zc_probes *pr, const pid_t *streams, unsigned n, const pid_t *harness,
				unsigned nh)
{
#ifdef ZC_HAVE_BPF
	if (!pr->enabled || !pr->skel)
		return;
	struct zc_bpf__data_ctl *ctl = pr->skel->data_ctl;
	for (unsigned i = 0; i < ZC_MAX_TIDS; i++) {
		ctl->zc_stream_tids[i] = i < n ? (uint32_t)streams[i] : 0;
		ctl->zc_stream_switches[i] = 0;
	}
	for (unsigned i = 0; i < ZC_MAX_HARNESS; i++)
		ctl->zc_harness_tids[i] = i < nh ? (uint32_t)harness[i] : 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#else
	(void)pr, (void)streams, (void)n, (void)harness, (void)nh;
#endif
}

const volatile uint64_t *zc_probes_stream_switches(struct zc_probes *pr)
{
#ifdef ZC_HAVE_BPF
	if (pr->enabled && pr->skel)
		return (const volatile uint64_t *)pr->skel->data_ctl->zc_stream_switches;
#else
	(void)pr;
#endif
	return NULL;
}

/* No syscall in the eBPF part of either: a store to the mmapped flag. The
 * perf counters are switched on before the flag is set and off after it is
 * cleared, so the eBPF counts never see those prctl calls. */
void zc_probes_window_begin(struct zc_probes *pr)
{
	if (!pr->enabled)
		return;
	zc_perf_begin(&pr->perf);
#ifdef ZC_HAVE_BPF
	zc_kwork_begin(pr->kwork);
	if (pr->skel)
		__atomic_store_n(&pr->skel->data_ctl->zc_enabled, 1, __ATOMIC_SEQ_CST);
#endif
}

void zc_probes_ebpf_window_close(struct zc_probes *pr)
{
#ifdef ZC_HAVE_BPF
	if (pr->enabled && pr->skel)
		__atomic_store_n(&pr->skel->data_ctl->zc_enabled, 0, __ATOMIC_SEQ_CST);
#else
	(void)pr;
#endif
}

void zc_probes_window_end(struct zc_probes *pr)
{
	if (!pr->enabled)
		return;
#ifdef ZC_HAVE_BPF
	if (pr->skel)
		__atomic_store_n(&pr->skel->data_ctl->zc_enabled, 0, __ATOMIC_SEQ_CST);
#endif
	zc_kwork_end(pr->kwork);
	zc_perf_end(&pr->perf);
}

#ifdef ZC_HAVE_BPF
static json_t *u64_json(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static void ebpf_collect(struct zc_probes *pr, pid_t subject, json_t *c)
{
	struct zc_bpf__data_ctl *ctl = pr->skel->data_ctl;
	/* Close the window, in case the subject did not. */
	__atomic_store_n(&ctl->zc_enabled, 0, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&ctl->zc_tgid, __ATOMIC_SEQ_CST) != (uint32_t)subject)
		return; /* not armed for this subject: the keys stay null */
	uint32_t zero = 0;
	if (bpf_map_lookup_elem(bpf_map__fd(pr->skel->maps.zc_percpu), &zero, pr->cpus) != 0) {
		fprintf(stderr, "zcbench: warning: cannot read the eBPF counters: %s\n", strerror(errno));
		return;
	}
	struct zc_cpu *b = pr->total;
	memset(b, 0, sizeof *b);
	for (int i = 0; i < pr->ncpus; i++) {
		const struct zc_cpu *x = &pr->cpus[i];
		for (int k = 0; k <= ZC_NSYS; k++)
			b->sys_count[k] += x->sys_count[k];
		for (int k = 0; k < ZC_NCLASS; k++)
			b->bytes[k] += x->bytes[k];
		for (int k = 0; k < 2; k++)
			b->csw[k] += x->csw[k];
		for (int t = 0; t < ZC_NTHR; t++) {
			for (int k = 0; k < 2; k++)
				b->thr_csw[t][k] += x->thr_csw[t][k];
			b->thr_off_cpu_ns[t] += x->thr_off_cpu_ns[t];
		}
		b->sys_kernel_ns += x->sys_kernel_ns;
		b->harness_sys += x->harness_sys;
		b->off_cpu_ns += x->off_cpu_ns;
		b->lost += x->lost;
		for (int h = 0; h < ZC_NHIST; h++)
			for (int k = 0; k < ZC_NBUCKETS; k++)
				b->hist[h][k] += x->hist[h][k];
	}

	json_t *sys = json_object();
	uint64_t total = 0;
	for (int nr = 0; nr <= ZC_NSYS; nr++) {
		uint64_t n = b->sys_count[nr];
		if (!n)
			continue;
		char name[32];
		if (nr == ZC_NSYS)
			snprintf(name, sizeof name, "other");
		else if (zc_syscall_names[nr])
			snprintf(name, sizeof name, "%s", zc_syscall_names[nr]);
		else
			snprintf(name, sizeof name, "syscall_%d", nr);
		json_object_set_new(sys, name, u64_json(n));
		total += n;
	}
	json_object_set_new(c, "syscalls", sys);
	json_object_set_new(c, "syscalls_total", u64_json(total));
	/* The subject's figures are its stream threads'; io_uring's workers
	 * and the harness's own threads are reported apart. */
	static const char *const thr_names[] = {"streams", "io_workers", "harness"};
	json_t *thr = json_object();
	for (int t = 0; t < 3; t++)
		json_object_set_new(thr, thr_names[t],
				    json_pack("{s:{s:o,s:o},s:o}", "context_switches", "voluntary",
					      u64_json(b->thr_csw[t][ZC_CSW_VOLUNTARY]), "involuntary",
					      u64_json(b->thr_csw[t][ZC_CSW_INVOLUNTARY]), "off_cpu_ns",
					      u64_json(b->thr_off_cpu_ns[t])));
	json_object_set_new(json_object_get(thr, "harness"), "syscalls", u64_json(b->harness_sys));
	json_object_set_new(c, "threads", thr);
	json_object_set_new(c, "context_switches",
			    json_pack("{s:o,s:o}", "voluntary", u64_json(b->thr_csw[ZC_THR_STREAM][ZC_CSW_VOLUNTARY]),
				      "involuntary", u64_json(b->thr_csw[ZC_THR_STREAM][ZC_CSW_INVOLUNTARY])));
	json_object_set_new(c, "off_cpu_ns", u64_json(b->thr_off_cpu_ns[ZC_THR_STREAM]));
	json_object_set_new(c, "syscall_kernel_ns", u64_json(b->sys_kernel_ns));
	/* io_uring moves data in requests that no syscall's return value
	 * reports: any io_uring_enter in the window makes the byte classes
	 * incomplete, so they are not reported at all rather than reported low. */
	enum { NR_IO_URING_ENTER = 426, NR_RECVMMSG = 299, NR_SENDMMSG = 307 };
	if (b->sys_count[NR_IO_URING_ENTER])
		json_object_set_new(
			c, "bytes",
			json_pack("{s:n,s:n,s:n,s:n,s:s}", "to_user", "from_user", "pinned_from_user", "in_kernel",
				  "reason", "io_uring requests move data outside syscall return values: not counted"));
	else if (b->sys_count[NR_SENDMMSG] || b->sys_count[NR_RECVMMSG])
		/* Likewise sendmmsg and recvmmsg: they return a message count. */
		json_object_set_new(c, "bytes",
				    json_pack("{s:n,s:n,s:n,s:n,s:s}", "to_user", "from_user", "pinned_from_user",
					      "in_kernel", "reason",
					      "sendmmsg and recvmmsg return message counts, not bytes: not counted"));
	else
		json_object_set_new(c, "bytes",
				    json_pack("{s:o,s:o,s:o,s:o}", "to_user", u64_json(b->bytes[ZC_CLASS_TO_USER]),
					      "from_user", u64_json(b->bytes[ZC_CLASS_FROM_USER]), "pinned_from_user",
					      u64_json(b->bytes[ZC_CLASS_PINNED]), "in_kernel",
					      u64_json(b->bytes[ZC_CLASS_IN_KERNEL])));
	json_t *lat = json_object();
	for (size_t h = 0; h < NDATA; h++) {
		int last = -1;
		for (int k = 0; k < ZC_NBUCKETS; k++)
			if (b->hist[h][k])
				last = k;
		if (last < 0)
			continue;
		json_t *buckets = json_array();
		for (int k = 0; k <= last; k++)
			json_array_append_new(buckets, u64_json(b->hist[h][k]));
		json_object_set_new(lat, data_syscalls[h].name,
				    json_pack("{s:s,s:o}", "unit", "ns", "log2_buckets", buckets));
	}
	json_object_set_new(c, "latency", lat);
	/* Only when something was missed: events dropped because the per-thread
	 * map was full (thousands of threads), and program runs the kernel
	 * skipped as recursive. The counts above may then be short. */
	if (b->lost)
		json_object_set_new(c, "ebpf_lost_events", u64_json(b->lost));
	uint64_t missed = recursion_misses(pr) - pr->misses_at_arm;
	if (missed)
		json_object_set_new(c, "ebpf_missed_runs", u64_json(missed));
	__atomic_store_n(&ctl->zc_tgid, 0, __ATOMIC_SEQ_CST);
	/* The next subject registers its own threads (or none: all count). */
	for (unsigned i = 0; i < ZC_MAX_TIDS; i++)
		ctl->zc_stream_tids[i] = 0;
	for (unsigned i = 0; i < ZC_MAX_HARNESS; i++)
		ctl->zc_harness_tids[i] = 0;
}
#endif

json_t *zc_probes_collect(struct zc_probes *pr, pid_t subject)
{
	if (!pr->enabled)
		return NULL;
	json_t *c = json_object();
	static const char *const ebpf_keys[] = {"syscalls", "syscalls_total", "context_switches", "off_cpu_ns",
						"bytes",    "latency",	      "threads",	  "syscall_kernel_ns"};
	for (size_t i = 0; i < sizeof ebpf_keys / sizeof ebpf_keys[0]; i++)
		json_object_set_new(c, ebpf_keys[i], json_null());
#ifdef ZC_HAVE_BPF
	if (pr->skel)
		ebpf_collect(pr, subject, c);
#endif
	json_object_set_new(c, "kwork", zc_kwork_collect(pr->kwork, subject));
	json_object_set_new(c, "perf", zc_perf_collect(&pr->perf, subject));
	return c;
}

/* ---- summary ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_of(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The number at counters[k1][k2] (k2 may be NULL) of a run; for a perf
 * counter (perf true: k1 = "perf", k2 = name), its value when its status is
 * ok. NULL when there is none. */
static const json_t *run_value(const json_t *run, const char *k1, const char *k2, bool perf)
{
	const json_t *x = json_object_get(json_object_get(run, "counters"), k1);
	if (k2)
		x = json_object_get(x, k2);
	if (perf) {
		const char *st = json_string_value(json_object_get(x, "status"));
		if (!st || strcmp(st, "ok") != 0)
			return NULL;
		x = json_object_get(x, "value");
	}
	return json_is_number(x) ? x : NULL;
}

/* Median over the measured runs of value * GiB / bytes, or null when a
 * measured run lacks the value. */
static json_t *median_per_gib(const json_t *runs, const char *k1, const char *k2, bool perf)
{
	size_t n = json_array_size(runs), m = 0;
	double *v = calloc(n ? n : 1, sizeof *v);
	if (!v)
		return json_null();
	for (size_t i = 0; i < n; i++) {
		const json_t *run = json_array_get(runs, i);
		if (json_is_true(json_object_get(run, "warmup")))
			continue;
		json_int_t bytes = json_integer_value(json_object_get(run, "bytes"));
		const json_t *x = run_value(run, k1, k2, perf);
		if (bytes <= 0 || !x) {
			free(v);
			return json_null();
		}
		v[m++] = json_number_value(x) * GIB / (double)bytes;
	}
	json_t *r = m ? json_real(median_of(v, m)) : json_null();
	free(v);
	return r;
}

/* Adds, each a median over the measured (non-warm-up) runs of the run's
 * value * 2^30 / the run's bytes, or null when any measured run lacks it
 * (eBPF unavailable, probes off):
 *   syscalls_per_gib          syscalls_total per GiB (a number)
 *   context_switches_per_gib  {"voluntary": n, "involuntary": n}: kept apart,
 *                             since blocking and preemption mean different things
 *   off_cpu_ns_per_gib
 *   bytes_to_user_per_gib, bytes_from_user_per_gib, bytes_in_kernel_per_gib,
 *   bytes_pinned_from_user_per_gib
 *   perf_per_gib              {name: n} for the perf counters whose status is
 *                             "ok" in every measured run (null without perf) */
void zc_probes_summarize(const json_t *runs, json_t *summary)
{
	json_object_set_new(summary, "syscalls_per_gib", median_per_gib(runs, "syscalls_total", NULL, false));
	json_t *vol = median_per_gib(runs, "context_switches", "voluntary", false);
	json_t *invol = median_per_gib(runs, "context_switches", "involuntary", false);
	if (json_is_null(vol) || json_is_null(invol)) {
		json_decref(vol);
		json_decref(invol);
		json_object_set_new(summary, "context_switches_per_gib", json_null());
	} else {
		json_object_set_new(summary, "context_switches_per_gib",
				    json_pack("{s:o,s:o}", "voluntary", vol, "involuntary", invol));
	}
	json_object_set_new(summary, "off_cpu_ns_per_gib", median_per_gib(runs, "off_cpu_ns", NULL, false));
	json_object_set_new(summary, "bytes_to_user_per_gib", median_per_gib(runs, "bytes", "to_user", false));
	json_object_set_new(summary, "bytes_from_user_per_gib", median_per_gib(runs, "bytes", "from_user", false));
	json_object_set_new(summary, "bytes_in_kernel_per_gib", median_per_gib(runs, "bytes", "in_kernel", false));
	json_object_set_new(summary, "bytes_pinned_from_user_per_gib",
			    median_per_gib(runs, "bytes", "pinned_from_user", false));
	json_object_set_new(summary, "bytes_mapped_to_user_per_gib",
			    median_per_gib(runs, "bytes", "mapped_to_user", false));

	/* kwork: each event the first measured run counted, per GiB. */
	const json_t *kw = NULL;
	for (size_t i = 0; i < json_array_size(runs) && !kw; i++) {
		const json_t *run = json_array_get(runs, i);
		if (!json_is_true(json_object_get(run, "warmup")))
			kw = json_object_get(json_object_get(run, "counters"), "kwork");
	}
	if (json_is_object(kw)) {
		json_t *per = json_object();
		const char *ev;
		const json_t *unused_ev;
		json_object_foreach((json_t *)kw, ev, unused_ev)
		{
			json_object_set_new(per, ev, median_per_gib(runs, "kwork", ev, false));
		}
		json_object_set_new(summary, "kwork_per_gib", per);
	} else {
		json_object_set_new(summary, "kwork_per_gib", json_null());
	}

	/* perf: the counters ok in every measured run. */
	const json_t *first = NULL;
	for (size_t i = 0; i < json_array_size(runs) && !first; i++) {
		const json_t *run = json_array_get(runs, i);
		if (!json_is_true(json_object_get(run, "warmup")))
			first = json_object_get(json_object_get(run, "counters"), "perf");
	}
	if (!json_is_object(first)) {
		json_object_set_new(summary, "perf_per_gib", json_null());
		return;
	}
	json_t *perf = json_object();
	const char *name;
	const json_t *unused;
	json_object_foreach((json_t *)first, name, unused)
	{
		json_t *v = median_per_gib(runs, "perf", name, true);
		if (json_is_null(v))
			json_decref(v);
		else
			json_object_set_new(perf, name, v);
	}
	json_object_set_new(summary, "perf_per_gib", perf);
}

/* ---- doctor ---- */

static void doctor_line(FILE *out, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void doctor_line(FILE *out, bool ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(out, "  [%s] ", ok ? "ok" : "!!");
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	va_end(ap);
}

static bool path_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

void zc_probes_doctor(FILE *out)
{
	struct zc_probes *pr = probes_open(true, true);
	bool root = geteuid() == 0, caps = has_bpf_caps();
	bool btf = access(KERNEL_BTF, R_OK) == 0;

	fprintf(out, "eBPF probes (syscall counts, bytes, latency, context switches)\n");
#ifdef ZC_HAVE_BPF
	doctor_line(out, true, "built with eBPF support (libbpf %s)", libbpf_version_string());
#else
	doctor_line(out, false, "%s: clang, bpftool or libbpf-dev was missing at build time", NOT_BUILT_IN);
	fprintf(out, "       -> install them (Debian: clang bpftool libbpf-dev libelf-dev zlib1g-dev) and rebuild\n");
#endif
	if (caps)
		doctor_line(out, true, "privileges: %s", root ? "root" : "CAP_BPF and CAP_PERFMON");
	else
		doctor_line(out, false, "privileges: %s",
			    root ? "root but without CAP_BPF and CAP_PERFMON" : "not root");
	if (!caps)
		fprintf(out, "       -> run zcbench as root, or: setcap cap_bpf,cap_perfmon+ep zcbench\n");
	doctor_line(out, btf, "kernel BTF %s: %s", KERNEL_BTF, btf ? "present" : strerror(errno));
	if (!btf)
		fprintf(out, "       -> boot a kernel built with CONFIG_DEBUG_INFO_BTF=y\n");
#ifdef ZC_HAVE_BPF
	if (btf) {
		struct btf *vm = btf__load_vmlinux_btf();
		static const char *const tps[][2] = {{"btf_trace_sys_enter", "raw_syscalls:sys_enter"},
						     {"btf_trace_sys_exit", "raw_syscalls:sys_exit"},
						     {"btf_trace_sched_switch", "sched:sched_switch"}};
		for (size_t i = 0; i < 3; i++) {
			bool found = vm && btf__find_by_name_kind(vm, tps[i][0], BTF_KIND_TYPEDEF) > 0;
			doctor_line(out, found, "tracepoint %s: %s", tps[i][1],
				    found ? "present" : "missing from the kernel's BTF");
		}
		btf__free(vm);
	}
#endif
	bool tracefs = path_exists("/sys/kernel/tracing/events");
	int tracefs_err = errno;
	fprintf(out, "  [--] tracefs: %s (not needed: zcbench attaches tp_btf or raw_tp)\n",
		tracefs			? "mounted at /sys/kernel/tracing"
		: tracefs_err == EACCES ? "not readable by this user"
					: "not mounted; mount -t tracefs nodev /sys/kernel/tracing for other tools");
	if (pr->ebpf == EBPF_OK)
		doctor_line(out, true, "eBPF probes load and attach (as %s)", pr->attach);
	else
		doctor_line(out, false, "eBPF probes unavailable: %s", pr->ebpf_reason);
	if (pr->ebpf != EBPF_OK && caps && btf)
		fprintf(out, "       -> set ZC_PROBES_DEBUG=1 to see libbpf's messages (the verifier log)\n");
	fputc('\n', out);
	zc_perf_doctor(&pr->perf, out);
	zc_probes_close(pr);
}
