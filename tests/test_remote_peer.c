/* The remote peer (issue 17) over 127.0.0.1: `zcbench peer` as a process of
 * its own, `zcbench run --peer` against it. Every byte verified on the
 * peer's side, both hosts recorded; a wrong token refused with one line and
 * exit 2; a client killed mid-run leaves the peer serving the next one; a
 * peer killed mid-run leaves no process behind and the client's run fails
 * with a reason; no
 * temp file, destination or lock file stays in either cache directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "workloads/pattern.h"
#include "workloads/source_file.h"
#include "run_cmd.h"

#define WAIT_MS 60000 /* generous: the machine is loaded */

static const char *bin;
static char root[] = "/var/tmp/zcbench-peer-test-XXXXXX";
static char peer_cache[128], client_cache[128], client_cache_opt[160], out[160];

struct peer {
	pid_t pid;
	int err; /* its stderr, non-blocking */
	char addr[64], token[80];
	char log[65536];
	size_t len;
};

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Read what the peer wrote so far; true once its log holds text. */
static bool peer_says(struct peer *p, const char *text)
{
	for (;;) {
		ssize_t n = read(p->err, p->log + p->len, sizeof p->log - 1 - p->len);
		if (n <= 0)
			break;
		p->len += (size_t)n;
	}
	p->log[p->len] = 0;
	return strstr(p->log, text) != NULL;
}

static bool wait_peer_says(struct peer *p, const char *text)
{
	for (int w = 0; w < WAIT_MS; w += 20, sleep_ms(20))
		if (peer_says(p, text))
			return true;
	fprintf(stderr, "the peer never said '%s'; its log:\n%s\n", text, p->log);
	return false;
}

/* Start `zcbench peer --listen 127.0.0.1:0` and learn its port and token
 * from its first line. */
static int peer_start(struct peer *p, const char *token)
{
	memset(p, 0, sizeof *p);
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	p->pid = fork();
	if (p->pid == 0) {
		dup2(fds[1], 2);
		char *argv[] = {(char *)bin,
				"peer",
				"--listen",
				"127.0.0.1:0",
				"--cache-dir",
				peer_cache,
				token ? "--token" : NULL,
				(char *)token,
				NULL};
		execv(bin, argv);
		_exit(127);
	}
	close(fds[1]);
	p->err = fds[0];
	fcntl(p->err, F_SETFL, O_NONBLOCK);
	if (p->pid < 0 || !wait_peer_says(p, "\n"))
		return -1;
	const char *l = strstr(p->log, "peer listening on ");
	if (!l || sscanf(l, "peer listening on %63[^,], token %79s", p->addr, p->token) != 2) {
		fprintf(stderr, "unexpected first line: %s\n", p->log);
		return -1;
	}
	return 0;
}

/* The state letter of pid and its parent (-1 when gone). */
static int proc_state(pid_t pid, char *state, pid_t *ppid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *rp = strrchr(buf, ')');
	int pp;
	if (!rp || sscanf(rp + 2, "%c %d", state, &pp) != 2)
		return -1;
	*ppid = pp;
	return 0;
}

/* Processes whose parent is ppid (state 'T' only when stopped is set). */
static int children(pid_t ppid, bool stopped, pid_t *first)
{
	int n = 0;
	DIR *d = opendir("/proc");
	for (struct dirent *e; d && (e = readdir(d));) {
		pid_t pid = (pid_t)atoi(e->d_name), pp;
		char st;
		if (pid > 0 && proc_state(pid, &st, &pp) == 0 && pp == ppid && (!stopped || st == 'T')) {
			if (first)
				*first = pid;
			n++;
		}
	}
	if (d)
		closedir(d);
	return n;
}

/* Processes whose command line names this test's directory. */
static int ours_alive(void)
{
	int n = 0;
	DIR *d = opendir("/proc");
	for (struct dirent *e; d && (e = readdir(d));) {
		int pid = atoi(e->d_name);
		char cmd[4096], st;
		pid_t pp;
		if (pid > 0 && proc_state(pid, &st, &pp) == 0 && st != 'Z' &&
		    strstr(proc_cmdline(pid, cmd, sizeof cmd), root))
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static bool wait_no_children(pid_t ppid)
{
	for (int w = 0; w < WAIT_MS; w += 20, sleep_ms(20))
		if (children(ppid, false, NULL) == 0)
			return true;
	return false;
}

/* A client in a process group of its own, its output in a file; the
 * subject-stop hook stops its subject once set up, mid-run. */
static pid_t client_spawn(const struct peer *p, const char *log)
{
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		dup2(fd, 1);
		dup2(fd, 2);
		setenv("ZCBENCH_TEST_FAULTS", "subject-stop=1", 1);
		char *argv[] = {(char *)bin,
				"run",
				"--strategy",
				"readwrite",
				"--workload",
				"tcp-file",
				"--size",
				"8M",
				"--reps",
				"1",
				"--warmup",
				"0",
				"--no-probes",
				"--peer",
				(char *)p->addr,
				"--token",
				(char *)p->token,
				client_cache_opt,
				"--out",
				out,
				NULL};
		execv(bin, argv);
		_exit(127);
	}
	setpgid(pid, pid);
	return pid;
}

static pid_t wait_stopped_subject(pid_t client)
{
	pid_t subject = -1;
	for (int w = 0; w < WAIT_MS && children(client, true, &subject) == 0; w += 20)
		sleep_ms(20);
	return subject;
}

/* A client whose run is open on the peer, its subject stopped before its
 * window: mid-run on both sides. Returns the client; *run: the peer's
 * process serving it. */
static pid_t client_mid_run(const struct peer *p, pid_t *subject, pid_t *run)
{
	char log[200];
	snprintf(log, sizeof log, "%s/client.log", root);
	pid_t client = client_spawn(p, log);
	*subject = wait_stopped_subject(client);
	CHECK(*subject > 0);
	CHECK(children(p->pid, false, run) == 1); /* the run's process, set up and waiting */
	return client;
}

static void check_no_leftovers(const char *when)
{
	size_t peer_tmp = count_dir_entries(peer_cache, "tmp-");
	size_t client_tmp = count_dir_entries(client_cache, "tmp-") + count_dir_entries(client_cache, "dest-");
	if (peer_tmp || client_tmp)
		fprintf(stderr, "%s: %zu temp files in the peer's cache, %zu in the client's\n", when, peer_tmp,
			client_tmp);
	CHECK(peer_tmp == 0 && client_tmp == 0);
	CHECK(count_dir_entries(client_cache, "owner-") == 0);
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Every TCP workload against the peer, every run verified. */
static void check_verified(const struct peer *p)
{
	int st;
	json_t *doc = zc_run_json(bin, out, client_cache_opt, &st, "run", "--strategy", "readwrite,tee", "--workload",
				  "file-tcp,mem-tcp,tcp-proxy,file-tee,tcp-file,tcp-mem", "--size", "8M", "--reps", "2",
				  "--warmup", "0", "--verify", "all", "--drain", "read", "--no-probes", "--peer",
				  p->addr, "--token", p->token, NULL);
	CHECK(st == 0);
	json_t *res = json_object_get(doc, "results");
	CHECK(json_array_size(res) >= 6);
	for (size_t i = 0; i < json_array_size(res); i++) {
		json_t *c = json_array_get(res, i), *runs = json_object_get(c, "runs");
		bool ok = strcmp(str(c, "status"), "ok") == 0 && strcmp(str(c, "network"), "remote") == 0 &&
			  strcmp(str(json_object_get(c, "params"), "network"), "remote") == 0 &&
			  json_array_size(runs) == 2;
		for (size_t k = 0; ok && k < json_array_size(runs); k++) {
			json_t *r = json_array_get(runs, k);
			ok = json_is_true(json_object_get(r, "verified")) &&
			     json_integer_value(json_object_get(r, "bytes")) == 8 << 20;
			/* The peer's CPU time, from the peer's own wait4. */
			ok = ok && json_is_integer(json_object_get(r, "peer_user_ns")) &&
			     json_is_integer(json_object_get(r, "peer_sys_ns"));
		}
		if (!ok) {
			char *dump = json_dumps(c, JSON_COMPACT);
			fprintf(stderr, "cell %zu: %.2000s\n", i, dump ? dump : "?");
			free(dump);
		}
		CHECK(ok);
	}
	/* Both hosts, and where the streams went. */
	json_t *ph = json_object_get(doc, "peer_host"), *peer = json_object_get(doc, "peer");
	CHECK(json_is_string(json_object_get(ph, "hostname")) &&
	      json_is_string(json_object_get(ph, "kernel_release")) && json_is_integer(json_object_get(ph, "cpus")));
	CHECK(json_is_string(json_object_get(json_object_get(doc, "host"), "hostname")));
	CHECK(strcmp(str(peer, "address"), p->addr) == 0 && strcmp(str(peer, "path"), "remote") == 0);
	json_decref(doc);
	/* The report keeps remote cells apart: rows of their own. */
	struct cmd_result *r = malloc(sizeof *r);
	char rep[200], summary[300];
	snprintf(rep, sizeof rep, "%s/report", root);
	snprintf(summary, sizeof summary, "%s/summary.md", rep);
	char *rargv[] = {(char *)bin, "report", out, "--out", rep, NULL};
	CHECK(run_cmd(rargv, r) == 0 && r->status == 0);
	FILE *f = fopen(summary, "r");
	size_t n = f ? fread(r->out, 1, sizeof r->out - 1, f) : 0;
	r->out[n] = 0;
	if (f)
		fclose(f);
	CHECK(strstr(r->out, "file-tcp (remote)") && strstr(r->out, "tcp-file (remote)"));
	/* A workload with no TCP stream cannot go to another host. */
	char *argv[] = {(char *)bin,	  "run", "--strategy", "readwrite",	"--workload", "file-file",
			"--size",	  "1M",	 "--peer",     (char *)p->addr, "--token",    (char *)p->token,
			client_cache_opt, NULL};
	CHECK(run_cmd(argv, r) == 0 && r->status == 2 && strstr(r->err, "no TCP stream") && count_lines(r->err) == 1);
	free(r);
}

/* Byte 777777 of a 1 MiB pattern file flipped and its stamp rewritten to
 * match: a file its cache trusts, wrong where a sink will look. */
static void corrupt_and_stamp(const char *cache)
{
	char src[300], err[512];
	snprintf(src, sizeof src, "%s/pattern-v1-1048576", cache);
	unsigned char good;
	zc_pattern_fill(&good, 777777, 1);
	int fd = open(src, O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0);
	unsigned char bad = good ^ 0x55;
	CHECK(pwrite(fd, &bad, 1, 777777) == 1);
	close(fd);
	CHECK(zc_source_stamp_write(src, err, sizeof err) == 0);
}

static const char *reason_of(const char *strategy, const char *workload, const struct peer *p, int *st)
{
	static char reason[600];
	json_t *doc = zc_run_json(bin, out, client_cache_opt, st, "run", "--strategy", strategy, "--workload", workload,
				  "--size", "1M", "--reps", "1", "--warmup", "0", "--no-probes", "--peer", p->addr,
				  "--token", p->token, NULL);
	snprintf(reason, sizeof reason, "%s", str(json_array_get(json_object_get(doc, "results"), 0), "reason"));
	json_decref(doc);
	return reason;
}

/* A wrong byte is found at its offset on whichever side receives: the
 * peer's report carries the offset of the first wrong byte it drained
 * (the subject's source corrupt), and what the peer produces comes from its
 * own copy of the pattern (its copy corrupt: the subject's sink finds it). */
static void check_wrong_byte(const struct peer *p)
{
	int st;
	reason_of("readwrite", "file-tcp,tcp-file", p, &st); /* both caches hold the 1 MiB pattern */
	CHECK(st == 0);
	corrupt_and_stamp(client_cache);
	const char *r = reason_of("readwrite", "file-tcp", p, &st);
	char want[400];
	snprintf(want, sizeof want,
		 "source file corrupt: %s/pattern-v1-1048576 differs from the pattern at offset 777777 (the sink's "
		 "first wrong byte is at offset 777777)",
		 client_cache);
	CHECK(st == 1 && strncmp(r, want, strlen(want)) == 0);
	if (strncmp(r, want, strlen(want)) != 0)
		fprintf(stderr, "client's source corrupt: status %d, reason %s\n", st, r);
	corrupt_and_stamp(peer_cache);
	r = reason_of("readwrite", "tcp-file", p, &st);
	CHECK(st == 1 && strcmp(r, "verification failed: first wrong byte at offset 777777") == 0);
	if (strcmp(r, "verification failed: first wrong byte at offset 777777") != 0)
		fprintf(stderr, "peer's pattern corrupt: status %d, reason %s\n", st, r);
	/* The peer stops trusting nothing by itself: give it a good copy back. */
	char path[300];
	snprintf(path, sizeof path, "%s/pattern-v1-1048576.stamp", peer_cache);
	CHECK(unlink(path) == 0);
}

static void check_wrong_token(struct peer *p)
{
	struct cmd_result *r = malloc(sizeof *r);
	char *argv[] = {(char *)bin, "run",    "--strategy", "readwrite", "--workload",	   "file-tcp",	     "--size",
			"1M",	     "--peer", p->addr,	     "--token",	  "not-the-token", client_cache_opt, NULL};
	CHECK(run_cmd(argv, r) == 0);
	CHECK(r->status == 2);
	CHECK(count_lines(r->err) == 1 && strstr(r->err, "refused the session: wrong token"));
	if (r->status != 2 || !strstr(r->err, "wrong token"))
		fprintf(stderr, "wrong token: status %d, stderr: %s\n", r->status, r->err);
	CHECK(r->out[0] == 0);
	CHECK(wait_peer_says(p, "wrong token"));
	free(r);
}

/* The client dies (SIGKILL to its whole group) while its run is open on
 * the peer: the peer stops that run and serves the next client. */
static void check_client_vanishes(struct peer *p)
{
	pid_t subject, client = client_mid_run(p, &subject, NULL);
	kill(-client, SIGKILL);
	CHECK(wait_exit(client, WAIT_MS) == 128 + SIGKILL);
	CHECK(wait_peer_says(p, "the client went away"));
	CHECK(wait_no_children(p->pid));
	CHECK(kill(p->pid, 0) == 0);
	check_verified(p); /* the next client is served */
	check_no_leftovers("after a client was killed");
}

/* The peer dies mid-run: its run process goes with it, the client's run
 * fails with a reason naming the peer, and nothing is left. */
static void check_peer_killed(struct peer *p)
{
	pid_t subject, run = -1, client = client_mid_run(p, &subject, &run);
	kill(p->pid, SIGKILL);
	CHECK(wait_exit(p->pid, WAIT_MS) == 128 + SIGKILL);
	kill(subject, SIGCONT);
	CHECK(wait_exit(client, WAIT_MS) == 1);
	for (int w = 0; w < WAIT_MS && kill(run, 0) == 0; w += 20)
		sleep_ms(20);
	CHECK(kill(run, 0) != 0 && errno == ESRCH);
	json_error_t e;
	json_t *doc = json_load_file(out, 0, &e);
	json_t *c = json_array_get(json_object_get(doc, "results"), 0);
	/* Which call noticed first (the go, the subject's read, the report)
	 * varies; that the run failed with a reason does not. */
	CHECK(strcmp(str(c, "status"), "failed") == 0 && str(c, "reason")[0]);
	json_decref(doc);
	close(p->err);
	check_no_leftovers("after the peer was killed");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s ZCBENCH\n", argv[0]);
		return 2;
	}
	bin = argv[1];
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(peer_cache, sizeof peer_cache, "%s/peer", root);
	snprintf(client_cache, sizeof client_cache, "%s/client", root);
	snprintf(client_cache_opt, sizeof client_cache_opt, "--cache-dir=%s", client_cache);
	snprintf(out, sizeof out, "%s/out.json", root);

	struct peer p;
	CHECK(peer_start(&p, NULL) == 0);
	CHECK(strncmp(p.addr, "127.0.0.1:", 10) == 0 && strlen(p.token) == 32);
	check_verified(&p);
	check_wrong_byte(&p);
	check_wrong_token(&p);
	check_client_vanishes(&p);
	check_peer_killed(&p);

	/* A peer given its token, stopped with SIGTERM: exit 0, its lock gone. */
	CHECK(peer_start(&p, "s3cret-token") == 0);
	CHECK(strcmp(p.token, "s3cret-token") == 0);
	kill(p.pid, SIGTERM);
	CHECK(wait_exit(p.pid, WAIT_MS) == 0);
	close(p.err);
	CHECK(count_dir_entries(peer_cache, "owner-") == 0);
	CHECK(count_dir_entries(peer_cache, "tmp-") == 0);
	CHECK(ours_alive() == 0);

	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	CHECK(system(cmd) == 0);
	CHECK_DONE();
}
