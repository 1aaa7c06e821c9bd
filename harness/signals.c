#include "signals.h"

#include <errno.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_EXIT_FNS 4

/* Process-wide by nature: a signal reaches the process, not an instance. */
static volatile sig_atomic_t interrupted;
static volatile sig_atomic_t forward_pgid;
static void (*volatile exit_fns[MAX_EXIT_FNS])(void);

/* Waits for the group with async-signal-safe calls only. */
static void drain(pid_t pgid, unsigned bound_ms)
{
	for (unsigned waited = 0;; waited += 10) {
		while (waitpid(-pgid, NULL, WNOHANG) > 0)
			;
		if (kill(-pgid, 0) != 0 && errno == ESRCH)
			return;
		if (waited >= bound_ms) {
			kill(-pgid, SIGKILL);
			if (waited >= bound_ms + 1000)
				return; /* not ours to reap: init has it */
		}
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

static void on_signal(int sig)
{
	int saved = errno;
	pid_t g = (pid_t)forward_pgid;
	if (g > 0)
		kill(-g, sig);
	if (interrupted) {
		/* Second signal: leave now, but leave nothing behind. The child
		 * group had it passed on too and leaves at once the same way. */
		if (g > 0)
			drain(g, 2000);
		for (int i = 0; i < MAX_EXIT_FNS; i++)
			if (exit_fns[i])
				exit_fns[i]();
		_exit(130);
	}
	interrupted = sig;
	errno = saved;
}

void zc_signals_install(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	/* Both signals run the same handler, never nested into each other. */
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

const volatile sig_atomic_t *zc_interrupt_flag(void)
{
	return &interrupted;
}

bool zc_interrupted(void)
{
	return interrupted != 0;
}

void zc_signals_on_exit(void (*fn)(void))
{
	for (int i = 0; i < MAX_EXIT_FNS; i++)
		if (exit_fns[i] == fn)
			return;
	for (int i = 0; i < MAX_EXIT_FNS; i++)
		if (!exit_fns[i]) {
			exit_fns[i] = fn;
			return;
		}
}

void zc_signals_forward(pid_t pgid)
{
	forward_pgid = pgid;
	int sig = interrupted;
	if (pgid > 0 && sig)
		kill(-pgid, sig);
}

void zc_signals_drain_group(pid_t pgid, unsigned bound_ms)
{
	if (pgid > 0)
		drain(pgid, bound_ms);
}
