/* A result file is written through a temp beside it (".zcbench-tmp-<pid>-
 * out-XXXXXX"). A writer killed mid-write leaves that temp; the next command
 * writing into the directory removes it, and nothing else: not a file of
 * another name, not another user's, not a symbolic link, not one whose pid
 * is alive (unless the file is older than that process: the pid was
 * reused), not one a live writer holds locked. The writer is killed by
 * SIGXFSZ at a 1 KiB file size limit: deterministic, mid-write, and like
 * SIGKILL no handler of zcbench runs. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"

static const char *bin;
static char base[] = "/tmp/zc-sweep-XXXXXX";
static char cache_opt[600], out_dir[512];

static char *const *run_argv(const char *out)
{
	static char *argv[24];
	static char out_buf[700];
	snprintf(out_buf, sizeof out_buf, "%s", out);
	char *a[] = {(char *)bin,   "run",     "--strategy", "readwrite", "--workload", "file-pipe",
		     "--size",	    "64K",     "--reps",     "1",	  "--warmup",	"0",
		     "--no-probes", cache_opt, "--out",	     out_buf,	  NULL};
	memcpy(argv, a, sizeof a);
	return argv;
}

static bool exists(const char *name)
{
	char p[700];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", out_dir, name);
	return lstat(p, &st) == 0;
}

/* A file in out_dir with this name, mode 0600, owned by uid (-1: ours). */
static void plant(const char *name, uid_t uid)
{
	char p[700];
	snprintf(p, sizeof p, "%s/%s", out_dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "partial", 7) == 7);
	if (uid != (uid_t)-1)
		CHECK(fchown(fd, uid, uid) == 0);
	close(fd);
}

static void backdate(const char *name)
{
	char p[700];
	snprintf(p, sizeof p, "%s/%s", out_dir, name);
	struct timespec old[2] = {{946684800, 0}, {946684800, 0}}; /* 2000-01-01 */
	CHECK(utimensat(AT_FDCWD, p, old, AT_SYMLINK_NOFOLLOW) == 0);
}

/* The name of the one temp of pid in out_dir into buf; how many there are. */
static size_t temps_of(pid_t pid, char *buf, size_t len)
{
	char prefix[64];
	snprintf(prefix, sizeof prefix, ".zcbench-tmp-%d-out-", (int)pid);
	size_t n = count_dir_entries(out_dir, prefix);
	char cmd[800];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | grep '^%s' | head -1", out_dir, prefix);
	FILE *p = popen(cmd, "r");
	buf[0] = 0;
	if (p) {
		if (fgets(buf, (int)len, p))
			buf[strcspn(buf, "\n")] = 0;
		pclose(p);
	}
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	bin = argv[1];
	CHECK(mkdtemp(base) != NULL);
	CHECK(chmod(base, 0755) == 0);
	char cache[512], out[700];
	snprintf(cache, sizeof cache, "%s/cache", base);
	snprintf(out_dir, sizeof out_dir, "%s/out", base);
	CHECK(mkdir(cache, 0700) == 0 && mkdir(out_dir, 0755) == 0);
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s", cache);
	struct cmd_result *r = malloc(sizeof *r);
	CHECK(r != NULL);

	/* The pattern in the cache first: the killed run writes only its result. */
	snprintf(out, sizeof out, "%s/warm.json", out_dir);
	CHECK(run_cmd(run_argv(out), r) == 0 && r->status == 0);

	/* Killed mid-write: the limit lets 1 KiB of the result into the temp. */
	snprintf(out, sizeof out, "%s/r.json", out_dir);
	char *const *args = run_argv(out);
	pid_t writer = fork();
	if (writer == 0) {
		struct rlimit fsize = {1024, 1024}, core = {0, 0};
		int devnull = open("/dev/null", O_WRONLY);
		if (setrlimit(RLIMIT_FSIZE, &fsize) != 0 || setrlimit(RLIMIT_CORE, &core) != 0 || devnull < 0 ||
		    dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0)
			_exit(99);
		signal(SIGXFSZ, SIG_DFL);
		execv(bin, args);
		_exit(98);
	}
	int st = 0;
	CHECK(waitpid(writer, &st, 0) == writer);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGXFSZ);
	char left[256], p[700];
	CHECK(temps_of(writer, left, sizeof left) == 1);
	CHECK(!exists("r.json"));
	struct stat ls;
	snprintf(p, sizeof p, "%s/%s", out_dir, left);
	CHECK(lstat(p, &ls) == 0 && S_ISREG(ls.st_mode) && ls.st_size == 1024);

	/* What the sweep must leave: other names, another user's file, a link,
	 * a live pid's newer file, a file a live writer holds locked. */
	pid_t dead = dead_pid();
	char name[16][128];
	size_t nkeep = 0;
	snprintf(name[nkeep++], 128, ".zcbench-tmp-%d-out-ABCDEF.json", (int)dead);
	snprintf(name[nkeep++], 128, ".zcbench-tmp-%d-out-ABCDE", (int)dead);
	snprintf(name[nkeep++], 128, "zcbench-tmp-%d-out-ABCDEF", (int)dead);
	snprintf(name[nkeep++], 128, ".zcbench-tmp-%dx-out-ABCDEF", (int)dead);
	snprintf(name[nkeep++], 128, ".zcbench-tmp-%d-OUT-ABCDEF", (int)dead);
	snprintf(name[nkeep++], 128, ".zcbench-tmp-1-out-NEWERX"); /* pid 1 lives; the file is newer */
	snprintf(name[nkeep++], 128, ".zcbench-tmp-%d-out-MINEXX", (int)getpid());
	for (size_t i = 0; i < nkeep; i++)
		plant(name[i], (uid_t)-1);
	snprintf(name[nkeep], 128, ".zcbench-tmp-%d-out-LINKED", (int)dead);
	snprintf(p, sizeof p, "%s/%s", out_dir, name[nkeep++]);
	CHECK(symlink("warm.json", p) == 0);
	/* Locked by a live writer whose pid we cannot see (another pid namespace). */
	snprintf(name[nkeep], 128, ".zcbench-tmp-%d-out-LOCKED", (int)dead);
	plant(name[nkeep], (uid_t)-1);
	backdate(name[nkeep]);
	snprintf(p, sizeof p, "%s/%s", out_dir, name[nkeep++]);
	int held = open(p, O_RDONLY);
	CHECK(held >= 0 && flock(held, LOCK_EX) == 0);
	bool root = geteuid() == 0;
	if (root) {
		snprintf(name[nkeep], 128, ".zcbench-tmp-%d-out-NOBODY", (int)dead);
		plant(name[nkeep++], 65534);
	} else {
		fprintf(stderr, "note: not root: another user's file is not planted\n");
	}
	/* What it must remove besides the killed writer's temp: a dead pid's,
	 * and a live pid's file older than that process (the pid was reused). */
	char gone[2][128];
	snprintf(gone[0], 128, ".zcbench-tmp-%d-probe-Ab12Cd", (int)dead);
	snprintf(gone[1], 128, ".zcbench-tmp-1-out-OLDERX");
	plant(gone[0], (uid_t)-1);
	plant(gone[1], (uid_t)-1);
	backdate(gone[1]);

	/* The next command writing into the directory. */
	snprintf(out, sizeof out, "%s/r2.json", out_dir);
	CHECK(run_cmd(run_argv(out), r) == 0 && r->status == 0);
	CHECK(exists("r2.json"));
	CHECK(temps_of(writer, left, sizeof left) == 0);
	CHECK(!exists(gone[0]) && !exists(gone[1]));
	for (size_t i = 0; i < nkeep; i++)
		if (!exists(name[i])) {
			fprintf(stderr, "removed, but not its to remove: %s\n", name[i]);
			check_failures++;
		}
	CHECK(exists("warm.json"));
	/* The lock let go: now it goes too. */
	close(held);
	CHECK(run_cmd(run_argv(out), r) == 0 && r->status == 0);
	CHECK(!exists(name[nkeep - 1 - root]));

	free(r);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	CHECK(system(cmd) == 0);
	CHECK_DONE();
}
