/* The network paths zcbench makes (root only, else skipped with 77):
 * --netns runs UDP and TCP byte-exact across a veth pair between two
 * namespaces of its own and records the path and MTU; --sink blackhole
 * completes every zero-copy UDP send uncopied, in exactly the sends the size
 * calls for; and a run killed mid-window (SIGKILL, SIGTERM, SIGINT) leaves
 * nothing behind: no process of its tree, nothing holding its namespaces,
 * no device of its in the host's namespace. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "json_check.h"
#include "run_cmd.h"

static const char *bin;
static char dir[] = "/tmp/zc-netns-XXXXXX";
static char out[300], cache_opt[320];

#define zc(status, ...) zc_run_json(bin, out, cache_opt, status, __VA_ARGS__)

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

static void over_veth(const char *strategy, const char *workload, const char *mtu)
{
	int st;
	json_t *doc = zc(&st, "run", "--netns", "--mtu", mtu, "--strategy", strategy, "--workload", workload, "--size",
			 "4M", "--reps", "1", "--warmup", "0", "--verify", "all", NULL);
	char what[128];
	snprintf(what, sizeof what, "%s on %s over veth", strategy, workload);
	json_t *cell = ok_cell(doc, st, what);
	if (cell) {
		json_t *params = json_object_get(cell, "params");
		CHECK(strcmp(jstr(params, "network"), "veth") == 0);
		CHECK(strcmp(jstr(cell, "network"), "veth") == 0);
		CHECK_EQ_U64(jnum(params, "mtu"), strtoull(mtu, NULL, 10));
		char label[128];
		snprintf(label, sizeof label, "%s over veth, MTU %s", workload, mtu);
		CHECK(strcmp(jstr(cell, "workload_label"), label) == 0);
		json_t *run = json_array_get(json_object_get(cell, "runs"), 0);
		CHECK(json_is_true(json_object_get(run, "verified")));
		json_t *u = json_object_get(run, "udp");
		if (u) {
			CHECK_EQ_U64(jnum(u, "sent_datagrams"), (4194304 + 1471) / 1472);
			CHECK_EQ_U64(jnum(u, "received_datagrams") + jnum(u, "lost_datagrams"),
				     (4194304 + 1471) / 1472);
		}
	}
	json_decref(doc);
}

/* Every zero-copy send into the blackhole completes, none copied: 4 MiB
 * in sends of 44 datagrams (64768 bytes) is 65 sends, 2850 datagrams. */
static void blackhole(void)
{
	int st;
	json_t *doc = zc(&st, "run", "--sink", "blackhole", "--strategy", "udp_zerocopy", "--workload", "mem-udp",
			 "--size", "4M", "--reps", "2", "--warmup", "0", NULL);
	json_t *cell = ok_cell(doc, st, "udp_zerocopy into the blackhole");
	if (cell) {
		CHECK(strcmp(jstr(json_object_get(cell, "params"), "network"), "blackhole") == 0);
		json_t *runs = json_object_get(cell, "runs");
		CHECK_EQ_U64(json_array_size(runs), 2);
		for (size_t i = 0; i < json_array_size(runs); i++) {
			json_t *run = json_array_get(runs, i);
			json_t *stats = json_object_get(run, "strategy_stats");
			CHECK_EQ_U64(jnum(stats, "sends"), 65);
			CHECK_EQ_U64(jnum(stats, "completions"), 65);
			CHECK_EQ_U64(jnum(stats, "zc_copied"), 0);
			CHECK_EQ_U64(jnum(stats, "datagrams"), 2850);
			json_t *u = json_object_get(run, "udp");
			CHECK(json_is_null(json_object_get(u, "received_datagrams")));
			CHECK_EQ_U64(jnum(json_object_get(run, "zerocopy_sends"), "pinned_bytes"), 4194304);
		}
		CHECK(strcmp(jstr(cell, "path"), "UDP MSG_ZEROCOPY: zero-copy (0 of 65 copied)") == 0);
	}
	json_decref(doc);
}

/* Does any process hold the namespace with this nsfs inode? */
static bool ns_held(unsigned long ino)
{
	char want[64];
	snprintf(want, sizeof want, "net:[%lu]", ino);
	DIR *proc = opendir("/proc");
	if (!proc)
		return true;
	bool held = false;
	struct dirent *p;
	while (!held && (p = readdir(proc))) {
		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		char path[300], link[128];
		snprintf(path, sizeof path, "/proc/%s/ns/net", p->d_name);
		ssize_t n = readlink(path, link, sizeof link - 1);
		if (n > 0 && (link[n] = 0, strcmp(link, want) == 0))
			held = true;
		snprintf(path, sizeof path, "/proc/%s/fd", p->d_name);
		DIR *fds = opendir(path);
		struct dirent *f;
		while (!held && fds && (f = readdir(fds))) {
			char fp[600];
			snprintf(fp, sizeof fp, "%s/%s", path, f->d_name);
			n = readlink(fp, link, sizeof link - 1);
			if (n > 0 && (link[n] = 0, strcmp(link, want) == 0))
				held = true;
		}
		if (fds)
			closedir(fds);
	}
	closedir(proc);
	return held;
}

/* The namespaces pid holds open (their inodes); returns how many. */
static size_t ns_of(pid_t pid, unsigned long *ino, size_t max)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	DIR *d = opendir(path);
	size_t n = 0;
	struct dirent *f;
	while (d && (f = readdir(d)) && n < max) {
		char fp[400], link[128];
		snprintf(fp, sizeof fp, "%s/%s", path, f->d_name);
		ssize_t k = readlink(fp, link, sizeof link - 1);
		if (k > 0 && (link[k] = 0, sscanf(link, "net:[%lu]", &ino[n]) == 1))
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static size_t children_of(pid_t pid, pid_t *kids, size_t max)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
	FILE *f = fopen(path, "r");
	size_t n = 0;
	int k;
	while (f && n < max && fscanf(f, "%d", &k) == 1)
		kids[n++] = k;
	if (f)
		fclose(f);
	return n;
}

/* A process gone, or a zombie nobody has reaped yet: it holds nothing. */
static bool alive(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *rp = strrchr(buf, ')');
	return !(rp && rp[1] == ' ' && rp[2] == 'Z');
}

/* Kill a run mid-window with sig: nothing of it may remain. */
static void killed_leaves_nothing(int sig)
{
	char outp[320];
	snprintf(outp, sizeof outp, "%s/killed.json", dir);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(bin, bin, "run", "--netns", "--strategy", "udp_sendto", "--workload", "mem-udp", "--size", "1G",
		      "--reps", "50", "--warmup", "0", "--out", outp, cache_opt, (char *)NULL);
		_exit(127);
	}
	CHECK(pid > 0);
	unsigned long ino[4];
	size_t nns = 0, nkids = 0;
	pid_t kids[16];
	/* Until the namespaces exist and the subject and the peer run. */
	for (int i = 0; i < 600 && (nns < 2 || nkids < 2); i++) {
		sleep_ms(50);
		nns = ns_of(pid, ino, 4);
		nkids = children_of(pid, kids, 16);
	}
	CHECK_EQ_U64(nns, 2);
	CHECK(nkids >= 2);
	sleep_ms(300); /* mid-window */
	nkids = children_of(pid, kids, 16);
	kill(pid, sig);
	int status = wait_exit(pid, 60000);
	if (sig == SIGKILL)
		CHECK_EQ_U64(status, 128 + SIGKILL);
	else
		CHECK_EQ_U64(status, 130);
	/* The kernel takes a moment to reap orphans and free namespaces. */
	bool left = true;
	for (int i = 0; i < 200 && left; i++) {
		left = false;
		for (size_t k = 0; k < nkids; k++)
			left |= alive(kids[k]);
		for (size_t k = 0; k < nns; k++)
			left |= ns_held(ino[k]);
		if (left)
			sleep_ms(50);
	}
	for (size_t k = 0; k < nkids; k++)
		if (alive(kids[k])) {
			fprintf(stderr, "signal %d: child %d of the run still alive\n", sig, (int)kids[k]);
			check_failures++;
		}
	for (size_t k = 0; k < nns; k++)
		if (ns_held(ino[k])) {
			fprintf(stderr, "signal %d: namespace net:[%lu] still held\n", sig, ino[k]);
			check_failures++;
		}
	/* Its devices were never in the host's namespace. */
	CHECK(if_nametoindex("zcs") == 0 && if_nametoindex("zcp") == 0 && if_nametoindex("zcbh") == 0);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	bin = argv[1];
	if (geteuid() != 0) {
		fprintf(stderr, "skipped: network namespaces need root\n");
		return 77;
	}
	CHECK(mkdtemp(dir) != NULL);
	snprintf(out, sizeof out, "%s/r.json", dir);
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s/cache", dir);

	over_veth("udp_gso", "mem-udp", "1500");
	over_veth("udp_sendmmsg", "file-udp", "9000");
	over_veth("readwrite", "mem-tcp", "1500");
	over_veth("sendfile", "file-tcp", "65535");
	over_veth("readwrite", "tcp-proxy", "1500");
	blackhole();
	killed_leaves_nothing(SIGKILL);
	killed_leaves_nothing(SIGTERM);
	killed_leaves_nothing(SIGINT);

	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	CHECK_DONE();
}
