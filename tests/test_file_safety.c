/* Nothing outside zcbench's own files is touched: output paths checked
 * before any measurement and written atomically (ENOSPC and EFBIG leave no
 * partial file), a private cache a hostile user cannot plant links in,
 * sizes bounded by a maximum and the free space, pattern generation that
 * stops on SIGINT/SIGTERM without a temp file, dead processes' files swept
 * (never a live one's, pid reuse included), and a corrupt pattern caught by
 * its CRC32C and generated again. Runs as root (it mounts tmpfs in its own
 * mount namespace and plants files as nobody); otherwise it skips (77). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"
#include "workloads/pattern.h"

#define NOBODY 65534

static const char *bin;
static char base[] = "/tmp/zc-files-XXXXXX";
static struct cmd_result r;

static void path(char *buf, const char *name)
{
	snprintf(buf, 512, "%s/%s", base, name);
}

/* zcbench run of one small cell with these extra words (NULL-ended). */
static int run_small(const char *cache, const char *size, const char *out, const char *extra)
{
	char cache_opt[600];
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s", cache);
	char *argv[24] = {(char *)bin,	"run",	  "--strategy", "readwrite", "--workload", "file-file",	  "--size",
			  (char *)size, "--reps", "1",		"--warmup",  "0",	   "--no-probes", cache_opt};
	int n = 14;
	if (out) {
		argv[n++] = "--out";
		argv[n++] = (char *)out;
	}
	if (extra) {
		argv[n++] = "--dest-dir";
		argv[n++] = (char *)extra;
	}
	argv[n] = NULL;
	if (run_cmd(argv, &r) != 0)
		return -1;
	return r.status;
}

static bool exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

static void write_text(const char *p, const char *text, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

static bool has_text(const char *p, const char *text)
{
	char buf[256] = {0};
	int fd = open(p, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

/* One line on stderr, nothing on stdout (no table: nothing was measured). */
static void expect_refused(const char *what, int status, const char *needle)
{
	if (status != 2 || count_lines(r.err) != 1 || r.out[0] || (needle && !strstr(r.err, needle))) {
		fprintf(stderr, "%s: exit %d, stdout '%s', stderr '%s' (wanted exit 2 and one line with '%s')\n", what,
			status, r.out, r.err, needle ? needle : "");
		check_failures++;
	}
}

/* Run fn(arg) in a child as nobody; its exit status. */
static int as_nobody(void (*fn)(const char *), const char *arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setresgid(NOBODY, NOBODY, NOBODY) != 0 ||
		    setresuid(NOBODY, NOBODY, NOBODY) != 0)
			_exit(99);
		fn(arg);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char secret[512];

/* As nobody: a cache directory with the stamp and the pattern linked to
 * root's secret file. */
static void plant_cache(const char *dir)
{
	char p[600];
	if (mkdir(dir, 0755) != 0)
		_exit(1);
	snprintf(p, sizeof p, "%s/pattern-v1-65536.stamp", dir);
	if (symlink(secret, p) != 0)
		_exit(2);
	snprintf(p, sizeof p, "%s/pattern-v1-65536", dir);
	if (symlink(secret, p) != 0)
		_exit(3);
}

/* As nobody: a file of a dead zcbench's name in a shared directory. */
static void plant_dest(const char *p)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		_exit(1);
	close(fd);
}

/* As nobody: zcbench with its default cache (HOME set to the argument). */
static void run_default_cache(const char *home)
{
	setenv("HOME", home, 1);
	unsetenv("XDG_CACHE_HOME");
	unsetenv("ZCBENCH_CACHE_DIR");
	int null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	dup2(null, 2);
	execl(bin, bin, "run", "--strategy", "readwrite", "--workload", "file-file", "--size", "64K", "--reps", "1",
	      "--warmup", "0", "--no-probes", "--no-pin", (char *)NULL);
	_exit(98);
}

static void test_outputs(void)
{
	char cache[512], fifo[512], link[512], dir[512], ok[512], never[512];
	path(cache, "c-out");
	path(fifo, "fifo");
	path(link, "link.json");
	path(dir, "adir");
	path(ok, "ok.json");
	path(never, "never-created");
	CHECK(mkfifo(fifo, 0600) == 0);
	CHECK(symlink(secret, link) == 0);
	CHECK(mkdir(dir, 0755) == 0);
	/* Each is refused before the cache is even made. */
	const char *bad[] = {"", dir, "/dev/null", "/dev/full", fifo, link};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		expect_refused(bad[i], run_small(cache, "64K", bad[i], NULL), i == 0 ? "empty" : bad[i]);
		CHECK(!exists(cache));
	}
	CHECK(has_text(secret, "secret\n"));
	char *calibrate[] = {(char *)bin, "calibrate", "--out", "", NULL};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		calibrate[3] = (char *)bad[i];
		CHECK(run_cmd(calibrate, &r) == 0);
		expect_refused("calibrate --out", r.status, NULL);
	}
	char *hyperfine[] = {(char *)bin, "hyperfine", "--out", "", NULL};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		hyperfine[3] = (char *)bad[i];
		CHECK(run_cmd(hyperfine, &r) == 0);
		expect_refused("hyperfine --out", r.status, NULL);
	}
	/* The report writes a directory: a new one or an existing one. */
	const char *bad_dirs[] = {"", "/dev/null", fifo, secret};
	char *report[] = {(char *)bin, "report", "--out", "", never, NULL};
	for (size_t i = 0; i < sizeof bad_dirs / sizeof bad_dirs[0]; i++) {
		report[3] = (char *)bad_dirs[i];
		CHECK(run_cmd(report, &r) == 0);
		expect_refused("report --out", r.status, NULL);
	}
	char *all[] = {(char *)bin, "all", "--out-dir", "", "--cache-dir", cache, NULL};
	const char *bad_out_dirs[] = {"", "/dev/null", secret};
	for (size_t i = 0; i < sizeof bad_out_dirs / sizeof bad_out_dirs[0]; i++) {
		all[3] = (char *)bad_out_dirs[i];
		CHECK(run_cmd(all, &r) == 0);
		expect_refused("all --out-dir", r.status, NULL);
		CHECK(!exists(cache));
	}
	CHECK(has_text(secret, "secret\n"));
	/* An existing regular file is replaced whole; no temp stays beside it. */
	write_text(ok, "old\n", 0644);
	CHECK(run_small(cache, "64K", ok, NULL) == 0);
	CHECK(!has_text(ok, "old\n"));
	CHECK(count_dir_entries(base, ".zcbench-tmp-") == 0);
	/* --cache-dir that is not a directory. */
	char *null_cache[] = {(char *)bin, "run",	  "--strategy", "readwrite", "--workload",
			      "file-file", "--cache-dir", "/dev/null",	NULL};
	CHECK(run_cmd(null_cache, &r) == 0);
	expect_refused("--cache-dir /dev/null", r.status, "not a directory");
}

/* A full filesystem (ENOSPC) and a file size limit (EFBIG): exit 1 with the
 * errno's text; the old file stays whole and no temp is left. */
static void test_write_errors(void)
{
	char cache[512], full[512], out[512];
	path(cache, "c-out");
	path(full, "full");
	snprintf(out, sizeof out, "%s/r.json", full);
	CHECK(mkdir(full, 0755) == 0);
	if (mount("tmpfs", full, "tmpfs", 0, "size=256k") != 0) {
		fprintf(stderr, "note: cannot mount tmpfs (%s): ENOSPC not tested\n", strerror(errno));
	} else {
		write_text(out, "old\n", 0644);
		char filler[600];
		snprintf(filler, sizeof filler, "%s/filler", full);
		int fd = open(filler, O_WRONLY | O_CREAT, 0600);
		static char block[4096];
		while (write(fd, block, sizeof block) > 0)
			;
		close(fd);
		CHECK(run_small(cache, "64K", out, NULL) == 1);
		CHECK(strstr(r.err, "No space left on device") != NULL);
		CHECK(has_text(out, "old\n"));
		CHECK(count_dir_entries(full, "") == 2); /* r.json and the filler */
		umount(full);
	}
	/* EFBIG: the limit is inherited by zcbench, SIGXFSZ ignored. A memory
	 * source and a socket sink: the result is the only file written. */
	char small[512];
	path(small, "small.json");
	write_text(small, "old\n", 0644);
	struct rlimit was, lim;
	CHECK(getrlimit(RLIMIT_FSIZE, &was) == 0);
	lim = was;
	lim.rlim_cur = 2000;
	signal(SIGXFSZ, SIG_IGN);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	char cache_opt[600];
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s", cache);
	char *argv[] = {(char *)bin,   "run",	  "--strategy", "readwrite", "--workload", "mem-tcp",
			"--size",      "64K",	  "--reps",	"1",	     "--warmup",   "0",
			"--no-probes", cache_opt, "--out",	small,	     NULL};
	CHECK(run_cmd(argv, &r) == 0);
	CHECK(setrlimit(RLIMIT_FSIZE, &was) == 0);
	signal(SIGXFSZ, SIG_DFL);
	CHECK(r.status == 1);
	CHECK(strstr(r.err, "File too large") != NULL);
	CHECK(has_text(small, "old\n"));
	CHECK(count_dir_entries(base, ".zcbench-tmp-") == 0);
}

static void test_cache(void)
{
	char pub[512], evil[512], open_dir[512], inside[512], loose[512], priv[512], p[700];
	path(pub, "pub");
	CHECK(mkdir(pub, 0755) == 0);
	CHECK(chmod(pub, 01777) == 0);
	snprintf(evil, sizeof evil, "%s/evil", pub);
	/* A cache directory nobody made first, its stamp and pattern linked to
	 * root's secret: refused, the secret untouched. */
	CHECK(as_nobody(plant_cache, evil) == 0);
	expect_refused("cache owned by nobody", run_small(evil, "64K", NULL, NULL), "owned by uid 65534");
	CHECK(has_text(secret, "secret\n"));
	/* Writable by others, or inside a directory others can change. */
	path(loose, "loose");
	CHECK(mkdir(loose, 0700) == 0 && chmod(loose, 0777) == 0);
	expect_refused("cache mode 0777", run_small(loose, "64K", NULL, NULL), "writable by others");
	CHECK(chmod(loose, 0770) == 0);
	expect_refused("cache mode 0770", run_small(loose, "64K", NULL, NULL), "writable by its group");
	path(open_dir, "open");
	CHECK(mkdir(open_dir, 0777) == 0 && chmod(open_dir, 0777) == 0);
	snprintf(inside, sizeof inside, "%s/cache", open_dir);
	CHECK(mkdir(inside, 0700) == 0);
	expect_refused("cache in a 0777 directory", run_small(inside, "64K", NULL, NULL), "another user can change");
	/* A private cache holding links where the pattern and its stamp go: both
	 * are replaced (one warning), never written through. */
	path(priv, "priv");
	CHECK(mkdir(priv, 0700) == 0);
	snprintf(p, sizeof p, "%s/pattern-v1-65536", priv);
	CHECK(symlink(secret, p) == 0);
	snprintf(p, sizeof p, "%s/pattern-v1-65536.stamp", priv);
	CHECK(symlink(secret, p) == 0);
	CHECK(run_small(priv, "64K", NULL, NULL) == 0);
	CHECK(strstr(r.err, "symbolic link") != NULL);
	CHECK(has_text(secret, "secret\n"));
	struct stat st;
	CHECK(lstat(p, &st) == 0 && S_ISREG(st.st_mode));
	/* The default cache of a user: ~/.cache/zcbench, made 0700 and theirs. */
	char home[512], made[700];
	path(home, "home");
	CHECK(mkdir(home, 0755) == 0 && chown(home, NOBODY, NOBODY) == 0);
	CHECK(chmod(base, 0755) == 0);
	CHECK(as_nobody(run_default_cache, home) == 0);
	snprintf(made, sizeof made, "%s/.cache/zcbench", home);
	CHECK(stat(made, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == NOBODY && (st.st_mode & 0777) == 0700);
	snprintf(made, sizeof made, "%s/.cache/zcbench/pattern-v1-65536", home);
	CHECK(stat(made, &st) == 0 && st.st_uid == NOBODY);
}

static void test_sizes(void)
{
	char cache[512], tiny[512];
	path(cache, "c-size");
	CHECK(mkdir(cache, 0700) == 0);
	expect_refused("--size 2T", run_small(cache, "2T", NULL, NULL), "maximum");
	expect_refused("--size 2^63-1", run_small(cache, "9223372036854775807", NULL, NULL), "maximum");
	CHECK(count_dir_entries(cache, "") == 0);
	path(tiny, "tiny");
	CHECK(mkdir(tiny, 0700) == 0);
	if (mount("tmpfs", tiny, "tmpfs", 0, "size=8m,mode=0700") != 0) {
		fprintf(stderr, "note: cannot mount tmpfs (%s): free space not tested\n", strerror(errno));
		return;
	}
	expect_refused("--size above the free space", run_small(tiny, "16M", NULL, NULL), "free");
	CHECK(count_dir_entries(tiny, "") == 0);
	CHECK(run_small(tiny, "1M", NULL, NULL) == 0);
	umount(tiny);
}

/* Start a 4 GiB generation into cache; return once its temp file holds a MiB. */
static pid_t start_generation(const char *cache)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		char cache_opt[600];
		snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s", cache);
		execl(bin, bin, "run", "--strategy", "readwrite", "--workload", "file-tcp", "--size", "4G", "--reps",
		      "1", "--warmup", "0", "--no-probes", cache_opt, (char *)NULL);
		_exit(98);
	}
	for (int waited = 0; waited < 60000; waited += 5) {
		DIR *d = opendir(cache);
		off_t size = 0;
		for (struct dirent *e; d && (e = readdir(d));) {
			char p[800];
			struct stat st;
			snprintf(p, sizeof p, "%s/%s", cache, e->d_name);
			if (strncmp(e->d_name, "tmp-", 4) == 0 && stat(p, &st) == 0)
				size = st.st_size;
		}
		if (d)
			closedir(d);
		if (size >= (1 << 20))
			return pid;
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "generation never started\n");
	check_failures++;
	return pid;
}

static void test_generation(void)
{
	char cache[512];
	path(cache, "c-gen");
	CHECK(mkdir(cache, 0700) == 0);
	int sigs[] = {SIGINT, SIGTERM};
	for (int i = 0; i < 2; i++) {
		pid_t pid = start_generation(cache);
		kill(pid, sigs[i]);
		CHECK(wait_exit(pid, 120000) == 130);
		CHECK(count_dir_entries(cache, "tmp-") == 0);
		CHECK(count_dir_entries(cache, "pattern-") == 0);
		CHECK(count_dir_entries(cache, "owner-") == 0);
	}
	/* SIGKILL leaves the temp and the lock; the next run removes both. */
	pid_t pid = start_generation(cache);
	kill(pid, SIGKILL);
	CHECK(wait_exit(pid, 120000) == 128 + SIGKILL);
	CHECK(count_dir_entries(cache, "tmp-") == 1);
	CHECK(count_dir_entries(cache, "owner-") == 1);
	CHECK(run_small(cache, "64K", NULL, NULL) == 0);
	CHECK(count_dir_entries(cache, "tmp-") == 0);
	CHECK(count_dir_entries(cache, "owner-") == 0);
}

static void test_sweep(void)
{
	char cache[512], p[700], q[700], lock[700];
	path(cache, "c-sweep");
	CHECK(mkdir(cache, 0700) == 0);
	/* A dead process's destination, temp and lock. */
	pid_t dead = dead_pid();
	snprintf(p, sizeof p, "%s/dest-%d-0-0-0", cache, (int)dead);
	write_text(p, "x", 0600);
	snprintf(q, sizeof q, "%s/tmp-%d-pattern-abcdef", cache, (int)dead);
	write_text(q, "x", 0600);
	snprintf(lock, sizeof lock, "%s/owner-%d.lock", cache, (int)dead);
	write_text(lock, "", 0600);
	CHECK(run_small(cache, "64K", NULL, NULL) == 0);
	CHECK(!exists(p) && !exists(q) && !exists(lock));
	/* A live process holding its lock: its files stay, until it is gone. */
	int ready[2], hold[2];
	CHECK(pipe(ready) == 0 && pipe(hold) == 0);
	pid_t live = fork();
	if (live == 0) {
		char l[700], d[700];
		snprintf(l, sizeof l, "%s/owner-%d.lock", cache, (int)getpid());
		snprintf(d, sizeof d, "%s/dest-%d-7-0-0", cache, (int)getpid());
		int fd = open(l, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || flock(fd, LOCK_EX) != 0)
			_exit(1);
		write_text(d, "live", 0600);
		close(ready[0]);
		close(hold[1]);
		CHECK(write(ready[1], "r", 1) == 1);
		char c;
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	char c;
	CHECK(read(ready[0], &c, 1) == 1);
	snprintf(p, sizeof p, "%s/dest-%d-7-0-0", cache, (int)live);
	snprintf(lock, sizeof lock, "%s/owner-%d.lock", cache, (int)live);
	CHECK(run_small(cache, "64K", NULL, NULL) == 0);
	CHECK(has_text(p, "live") && exists(lock));
	close(hold[1]);
	waitpid(live, NULL, 0);
	close(ready[0]);
	CHECK(run_small(cache, "64K", NULL, NULL) == 0);
	CHECK(!exists(p) && !exists(lock));
	/* pid 1 lives, but its lock file is held by nobody: a dead zcbench's
	 * pid was reused, so its files go. */
	snprintf(p, sizeof p, "%s/dest-1-0-0-0", cache);
	snprintf(lock, sizeof lock, "%s/owner-1.lock", cache);
	write_text(p, "x", 0600);
	write_text(lock, "", 0600);
	CHECK(run_small(cache, "64K", NULL, NULL) == 0);
	CHECK(!exists(p) && !exists(lock));
	/* No lock file and the pid alive: a file newer than the process may be
	 * its own and stays; one older than the process goes. */
	write_text(p, "x", 0600);
	CHECK(run_small(cache, "64K", NULL, NULL) == 0);
	CHECK(exists(p));
	struct timespec old[2] = {{946684800, 0}, {946684800, 0}}; /* 2000-01-01 */
	CHECK(utimensat(AT_FDCWD, p, old, AT_SYMLINK_NOFOLLOW) == 0);
	CHECK(run_small(cache, "64K", NULL, NULL) == 0);
	CHECK(!exists(p));
	CHECK(count_dir_entries(cache, "owner-") == 0);
	/* The cache directory as --dest-dir too (named differently): one lock. */
	char same[600];
	snprintf(same, sizeof same, "%s/", cache);
	CHECK(run_small(cache, "64K", NULL, same) == 0);
	CHECK(count_dir_entries(cache, "owner-") == 0 && count_dir_entries(cache, "dest-") == 0);
	/* Another user's file of a dead pid's name in a shared --dest-dir is
	 * never touched. */
	char pub[512];
	path(pub, "pub");
	snprintf(p, sizeof p, "%s/dest-%d-0-0-0", pub, (int)dead_pid());
	CHECK(as_nobody(plant_dest, p) == 0);
	CHECK(run_small(cache, "64K", NULL, pub) == 0);
	CHECK(exists(p));
	CHECK(count_dir_entries(pub, "owner-") == 0);
}

/* One flipped byte in the cached pattern: one warning, the file generated
 * again, the cell ok. */
static void test_corrupt_pattern(void)
{
	char cache[512], p[700];
	path(cache, "c-crc");
	CHECK(mkdir(cache, 0700) == 0);
	CHECK(run_small(cache, "64K", NULL, NULL) == 0);
	snprintf(p, sizeof p, "%s/pattern-v1-65536", cache);
	struct stat st;
	CHECK(stat(p, &st) == 0);
	int fd = open(p, O_RDWR);
	unsigned char b;
	CHECK(pread(fd, &b, 1, 12345) == 1);
	b ^= 0x01;
	CHECK(pwrite(fd, &b, 1, 12345) == 1);
	close(fd);
	struct timespec times[2] = {st.st_atim, st.st_mtim}; /* the mtime does not give it away */
	CHECK(utimensat(AT_FDCWD, p, times, 0) == 0);
	char out[512];
	path(out, "crc.json");
	CHECK(run_small(cache, "64K", out, NULL) == 0);
	size_t warnings = 0;
	for (const char *s = r.err; (s = strstr(s, "zcbench: warning:")); s++)
		warnings++;
	CHECK(warnings == 1);
	CHECK(strstr(r.err, "corrupt") != NULL && strstr(r.err, "CRC32C") != NULL);
	static unsigned char buf[65536];
	fd = open(p, O_RDONLY);
	CHECK(read(fd, buf, sizeof buf) == (ssize_t)sizeof buf);
	close(fd);
	CHECK(zc_pattern_check(buf, 0, sizeof buf, false) == -1);
	/* A second run finds it good: no warning. */
	CHECK(run_small(cache, "64K", NULL, NULL) == 0);
	CHECK(strstr(r.err, "warning") == NULL);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	bin = argv[1];
	if (geteuid() != 0) {
		fprintf(stderr, "skipped: needs root (mounts tmpfs, plants files as nobody)\n");
		return 77;
	}
	/* Mounts made here vanish with this process. */
	if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		fprintf(stderr, "note: no private mount namespace (%s)\n", strerror(errno));
	CHECK(mkdtemp(base) != NULL);
	CHECK(chmod(base, 0755) == 0);
	path(secret, "secret");
	write_text(secret, "secret\n", 0600);
	test_outputs();
	test_write_errors();
	test_cache();
	test_sizes();
	test_generation();
	test_sweep();
	test_corrupt_pattern();
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	CHECK(system(cmd) == 0);
	CHECK_DONE();
}
