/* Ceilings of this machine, each the median of a few timed trials after an
 * untimed one. Buffers are touched before any timing: on these VMs the first
 * write to fresh memory runs 10-50x slower than the second. */
#include "calibrate.h"
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MEMCPY_BYTES	 (64u << 20) /* each buffer; two of them exceed any last-level cache here */
#define MEMCPY_TRIALS	 7
#define SYSCALL_CALLS	 200000
#define SYSCALL_TRIALS	 5
#define PIPE_CHUNK	 (1u << 20)
#define PIPE_SIZE	 (1u << 20)
#define PIPE_TRIAL_BYTES (256u << 20)
#define PIPE_TRIALS	 5
#define MAX_TRIALS	 7

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Median (n odd) and minimum of n trial times; the array is left as measured. */
static void trial_stats(const uint64_t *ns, size_t n, uint64_t *median, uint64_t *min)
{
	uint64_t s[MAX_TRIALS];
	memcpy(s, ns, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_u64);
	*median = s[n / 2];
	*min = s[0];
}

static json_t *ns_array(const uint64_t *ns, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer((json_int_t)ns[i]));
	return a;
}

static json_t *failed_part(json_t *j, const char *rate_key, const char *fmt, int e)
{
	char reason[256];
	snprintf(reason, sizeof reason, fmt, strerror(e));
	json_object_set_new(j, rate_key, json_null());
	json_object_set_new(j, "reason", json_string(reason));
	return j;
}

/* SIGINT/SIGTERM: the part stops between trials, its figure null. */
static json_t *interrupted_part(json_t *j, const char *rate_key)
{
	json_object_set_new(j, rate_key, json_null());
	json_object_set_new(j, "reason", json_string("interrupted"));
	return j;
}

/* ---- memcpy ---- */

static json_t *measure_memcpy(void)
{
	json_t *j = json_pack("{s:I,s:I,s:s}", "buffer_bytes", (json_int_t)MEMCPY_BYTES, "trials",
			      (json_int_t)MEMCPY_TRIALS, "method",
			      "glibc memcpy between two pre-faulted buffers on one core; an untimed pass first");
	char *src = mmap(NULL, MEMCPY_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (src == MAP_FAILED)
		return failed_part(j, "bps", "mmap: %s", errno);
	char *dst = mmap(NULL, MEMCPY_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dst == MAP_FAILED) {
		int e = errno;
		munmap(src, MEMCPY_BYTES);
		return failed_part(j, "bps", "mmap: %s", e);
	}
	/* Touch both (first touch), then one untimed copy (second pass). */
	for (size_t i = 0; i < MEMCPY_BYTES; i++)
		src[i] = (char)(i * 131u);
	memset(dst, 0, MEMCPY_BYTES);
	memcpy(dst, src, MEMCPY_BYTES);
	uint64_t ns[MEMCPY_TRIALS];
	for (size_t t = 0; t < MEMCPY_TRIALS; t++) {
		if (zc_interrupted()) {
			munmap(src, MEMCPY_BYTES);
			munmap(dst, MEMCPY_BYTES);
			return interrupted_part(j, "bps");
		}
		uint64_t t0 = now_ns();
		memcpy(dst, src, MEMCPY_BYTES);
		/* The copy is observable: the compiler may not drop it. */
		__asm__ volatile("" : : "r"(dst) : "memory");
		ns[t] = now_ns() - t0;
	}
	munmap(src, MEMCPY_BYTES);
	munmap(dst, MEMCPY_BYTES);
	uint64_t med, min;
	trial_stats(ns, MEMCPY_TRIALS, &med, &min);
	json_object_set_new(j, "trial_ns", ns_array(ns, MEMCPY_TRIALS));
	json_object_set_new(j, "median_ns", json_integer((json_int_t)med));
	json_object_set_new(j, "bps", json_real((double)MEMCPY_BYTES * 1e9 / (double)med));
	json_object_set_new(j, "best_bps", json_real((double)MEMCPY_BYTES * 1e9 / (double)min));
	return j;
}

json_t *zc_calibrate_memcpy(void)
{
	return measure_memcpy();
}

/* ---- syscall ---- */

static json_t *measure_syscall(void)
{
	json_t *j = json_pack("{s:s,s:I,s:I}", "call", "getppid", "calls_per_trial", (json_int_t)SYSCALL_CALLS,
			      "trials", (json_int_t)SYSCALL_TRIALS);
	uint64_t ns[SYSCALL_TRIALS];
	for (int t = -1; t < SYSCALL_TRIALS; t++) {
		if (zc_interrupted())
			return interrupted_part(j, "ns_per_call");
		uint64_t t0 = now_ns();
		for (unsigned i = 0; i < SYSCALL_CALLS; i++) {
			/* getppid cannot fail; the call is made for its round trip. */
			if (syscall(SYS_getppid) < 0)
				return failed_part(j, "ns_per_call", "getppid: %s", errno);
		}
		uint64_t dt = now_ns() - t0;
		if (t >= 0)
			ns[t] = dt;
	}
	uint64_t med, min;
	trial_stats(ns, SYSCALL_TRIALS, &med, &min);
	json_object_set_new(j, "trial_ns", ns_array(ns, SYSCALL_TRIALS));
	json_object_set_new(j, "median_ns", json_integer((json_int_t)med));
	json_object_set_new(j, "ns_per_call", json_real((double)med / SYSCALL_CALLS));
	json_object_set_new(j, "best_ns_per_call", json_real((double)min / SYSCALL_CALLS));
	return j;
}

/* ---- pipe ---- */

static char *touched_buffer(size_t len)
{
	char *b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	memset(b, 1, len);
	memset(b, 2, len);
	return b;
}

static ssize_t full_read(int fd, void *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(fd, buf, len);
		if (n >= 0 || errno != EINTR)
			return n;
	}
}

static int full_write(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writer child: for each byte on ctl, write one trial's bytes to data. */
static _Noreturn void pipe_writer(int ctl_r, int data_w)
{
	char *buf = touched_buffer(PIPE_CHUNK);
	if (!buf)
		_exit(1);
	char go;
	while (full_read(ctl_r, &go, 1) == 1) {
		for (size_t done = 0; done < PIPE_TRIAL_BYTES; done += PIPE_CHUNK)
			if (full_write(data_w, buf, PIPE_CHUNK) != 0)
				_exit(1);
	}
	_exit(0);
}

/* The calling process reads and times each trial, from the byte that starts
 * the writer to the last byte read. Neither side is pinned: the scheduler
 * places them as it would any pipeline (pinning them to two CPUs of these
 * VMs costs a cross-CPU wake-up per pipe-full and measures that instead). */
static json_t *measure_pipe(void)
{
	json_t *j =
		json_pack("{s:I,s:I,s:I,s:I,s:b,s:s}", "chunk_bytes", (json_int_t)PIPE_CHUNK, "pipe_size_bytes",
			  (json_int_t)PIPE_SIZE, "bytes_per_trial", (json_int_t)PIPE_TRIAL_BYTES, "trials",
			  (json_int_t)PIPE_TRIALS, "pinned", 0, "method",
			  "write() then read() of 1 MiB chunks through one pipe between two processes the scheduler "
			  "places; an untimed trial first");
	int ctl[2] = {-1, -1}, data[2] = {-1, -1};
	if (pipe2(ctl, O_CLOEXEC) != 0 || pipe2(data, O_CLOEXEC) != 0) {
		int e = errno;
		if (ctl[0] >= 0) {
			close(ctl[0]);
			close(ctl[1]);
		}
		return failed_part(j, "bps", "pipe2: %s", e);
	}
	int size_err = 0;
	if (fcntl(data[1], F_SETPIPE_SZ, (int)PIPE_SIZE) < 0)
		size_err = errno;
	int pipe_size = fcntl(data[0], F_GETPIPE_SZ);
	char *buf = touched_buffer(PIPE_CHUNK);
	int err = buf ? 0 : errno;
	pid_t w = err ? -1 : fork();
	if (w == 0) {
		close(ctl[1]);
		close(data[0]);
		pipe_writer(ctl[0], data[1]);
	}
	if (w < 0 && !err)
		err = errno;
	close(ctl[0]);
	close(data[1]);
	uint64_t ns[PIPE_TRIALS];
	const char *where = err ? (buf ? "fork" : "mmap") : NULL;
	bool stopped = false;
	for (int t = -1; t < PIPE_TRIALS && !where && !stopped; t++) {
		if ((stopped = zc_interrupted()))
			break;
		uint64_t t0 = now_ns();
		if (full_write(ctl[1], "g", 1) != 0) {
			err = errno;
			where = "write to the writer";
			break;
		}
		for (size_t got = 0; got < PIPE_TRIAL_BYTES;) {
			ssize_t n = full_read(data[0], buf, PIPE_CHUNK);
			if (n <= 0) {
				err = n < 0 ? errno : EPIPE;
				where = "read";
				break;
			}
			got += (size_t)n;
		}
		if (t >= 0 && !where)
			ns[t] = now_ns() - t0;
	}
	close(ctl[1]); /* the writer sees end of file and leaves */
	close(data[0]);
	while (w > 0 && waitpid(w, NULL, 0) < 0 && errno == EINTR)
		;
	if (buf)
		munmap(buf, PIPE_CHUNK);
	if (stopped)
		return interrupted_part(j, "bps");
	if (where) {
		char fmt[64];
		snprintf(fmt, sizeof fmt, "%s: %%s", where);
		return failed_part(j, "bps", fmt, err);
	}
	if (size_err || pipe_size != (int)PIPE_SIZE) {
		char reason[128];
		snprintf(reason, sizeof reason, "F_SETPIPE_SZ to %u refused (%s); measured with %d bytes", PIPE_SIZE,
			 size_err ? strerror(size_err) : "size differs", pipe_size);
		json_object_set_new(j, "pipe_size_note", json_string(reason));
	}
	json_object_set_new(j, "pipe_size_bytes", json_integer(pipe_size));
	uint64_t med, min;
	trial_stats(ns, PIPE_TRIALS, &med, &min);
	json_object_set_new(j, "trial_ns", ns_array(ns, PIPE_TRIALS));
	json_object_set_new(j, "median_ns", json_integer((json_int_t)med));
	json_object_set_new(j, "bps", json_real((double)PIPE_TRIAL_BYTES * 1e9 / (double)med));
	json_object_set_new(j, "best_bps", json_real((double)PIPE_TRIAL_BYTES * 1e9 / (double)min));
	return j;
}

json_t *zc_calibrate_measure(void)
{
	uint64_t t0 = now_ns();
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *cal = json_object();
	if (!cal)
		return NULL;
	json_object_set_new(cal, "measured_at", json_string(when));
	json_object_set_new(cal, "memcpy", measure_memcpy());
	json_object_set_new(cal, "syscall", measure_syscall());
	json_object_set_new(cal, "pipe", measure_pipe());
	json_object_set_new(cal, "elapsed_ns", json_integer((json_int_t)(now_ns() - t0)));
	/* Parts a signal cut short are null with reason "interrupted". */
	json_object_set_new(cal, "interrupted", json_boolean(zc_interrupted()));
	return cal;
}

static int real_at(const json_t *cal, const char *part, const char *key, double *v)
{
	const json_t *x = json_object_get(json_object_get(cal, part), key);
	if (!json_is_number(x) || !(json_number_value(x) > 0))
		return -1;
	*v = json_number_value(x);
	return 0;
}

int zc_calibrate_memcpy_bps(const json_t *cal, double *v)
{
	return real_at(cal, "memcpy", "bps", v);
}

int zc_calibrate_syscall_ns(const json_t *cal, double *v)
{
	return real_at(cal, "syscall", "ns_per_call", v);
}

int zc_calibrate_pipe_bps(const json_t *cal, double *v)
{
	return real_at(cal, "pipe", "bps", v);
}

static void print_part(FILE *out, const json_t *cal, const char *part, const char *what, const char *detail)
{
	const json_t *p = json_object_get(cal, part);
	double v, best;
	bool is_rate = strcmp(part, "syscall") != 0;
	if ((is_rate ? real_at(cal, part, "bps", &v) : real_at(cal, part, "ns_per_call", &v)) != 0) {
		const char *why = json_string_value(json_object_get(p, "reason"));
		fprintf(out, "  %-34s %14s   %s\n", what, "not measured", why ? why : "");
		return;
	}
	bool have_best = real_at(cal, part, is_rate ? "best_bps" : "best_ns_per_call", &best) == 0;
	if (is_rate)
		fprintf(out, "  %-34s %9.2f GB/s   best %.2f; %s\n", what, v / 1e9, have_best ? best / 1e9 : v / 1e9,
			detail);
	else
		fprintf(out, "  %-34s %9.1f ns     best %.1f; %s\n", what, v, have_best ? best : v, detail);
}

void zc_calibrate_print(FILE *out, const json_t *cal)
{
	fputs("Ceilings of this machine (median of the timed trials; GB/s = 10^9 bytes/s):\n", out);
	print_part(out, cal, "memcpy", "memcpy, one core, 64 MiB buffers", "7 trials after an untimed pass");
	print_part(out, cal, "syscall", "syscall round trip, getppid", "5 trials of 200000 calls");
	print_part(out, cal, "pipe", "pipe write/read, 1 MiB chunks", "1 MiB pipe, 5 trials of 256 MiB");
	const json_t *e = json_object_get(cal, "elapsed_ns");
	if (json_is_integer(e))
		fprintf(out, "Measured in %.2f s.\n", (double)json_integer_value(e) / 1e9);
}
