/* One signal discipline for every command. The first SIGINT or SIGTERM asks
 * the command to stop at its next checkpoint (commands look at the flag) and
 * is passed on to the child process group the command is waiting for; a
 * second one leaves at once: it is passed on too, the child group gets a
 * moment to go, the clean-ups run and the process exits with 130. */
#ifndef ZC_SIGNALS_H
#define ZC_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* SIGINT and SIGTERM to the handler (SIGPIPE is the caller's business). */
void zc_signals_install(void);

/* Nonzero (the signal's number) once SIGINT or SIGTERM arrived. */
const volatile sig_atomic_t *zc_interrupt_flag(void);
bool zc_interrupted(void);

/* Run fn (async-signal-safe calls only: unlink, rmdir) when a second signal
 * ends the process. At most 4; registering the same fn twice is one. */
void zc_signals_on_exit(void (*fn)(void));

/* The process group of the child being waited for (0: none). While set,
 * signals are passed on to it. When a signal already came, it is passed on
 * at once, so a child started just after the flag went up still hears it. */
void zc_signals_forward(pid_t pgid);

/* Wait until process group pgid has no member left, reaping the ones that
 * are this process's children (orphans come here: see zc_spawn_wait); after
 * bound_ms they are killed. Members are given the chance to stop by
 * themselves first. */
void zc_signals_drain_group(pid_t pgid, unsigned bound_ms);

#endif
