/* Test-only fault injection (issue 10). The fault tests set
 * ZCBENCH_TEST_FAULTS to a comma list of KEY=VALUE; nothing else ever does,
 * and a result file written under it says so ("test_faults"):
 *   peer-reset=BYTES   the peer resets every stream after BYTES: a drain
 *                      stops reading at exactly BYTES, a producer stops
 *                      sending there; then SO_LINGER 0 and close (an RST on
 *                      TCP; a unix socket or pipe is closed with data unread)
 *   peer-stop=BYTES    the peer stops itself (SIGSTOP) once, after BYTES over
 *                      all its streams; whoever set the hook continues it
 *   sockbuf=BYTES      SO_SNDBUF and SO_RCVBUF of BYTES on both ends of every
 *                      socket the workload makes (TCP: before connecting)
 *   subject-stop=1     the subject stops itself (SIGSTOP) once set up, right
 *                      before it reports ready (its destination files are
 *                      open, its window not yet begun): a test changes the
 *                      world there (fills a disk) and continues it
 *   signal-storm=DUR   the subject gets SIGUSR2 every DUR (e.g. 100us) while
 *                      its window is open, from a POSIX timer, handled
 *                      without SA_RESTART: every blocking call sees EINTR
 *   tls-corrupt=BYTES  --inspect encrypt: the subject flips one bit of the
 *                      wire byte at offset BYTES-1 of every stream it seals
 *   tls-wrong-key=1    the peer decrypts TLS records with another key
 *   peer-delay=DUR     a UDP peer waits DUR before its first receive, so a
 *                      small receive buffer overflows: loss of a known kind
 * Each run under a hook notes it on stderr ("zcbench: test fault: ..."), so
 * a test can tell the fault really happened. */
#ifndef ZC_FAULTS_H
#define ZC_FAULTS_H

#include <stddef.h>
#include <stdint.h>

#define ZC_FAULTS_ENV "ZCBENCH_TEST_FAULTS"

struct zc_faults {
	uint64_t peer_reset;	  /* 0: off */
	uint64_t peer_stop;	  /* 0: off */
	uint64_t sockbuf;	  /* 0: off */
	uint64_t subject_stop;	  /* 0: off */
	uint64_t signal_storm_ns; /* 0: off */
	uint64_t tls_corrupt;	  /* 0: off */
	uint64_t tls_wrong_key;	  /* 0: off */
	uint64_t peer_delay_ns;	  /* 0: off */
};

/* Parse ZCBENCH_TEST_FAULTS into f (all zero when unset). Returns 0, or -1
 * with err saying what is wrong. */
int zc_faults_from_env(struct zc_faults *f, char *err, size_t err_len);

/* True when any fault is on (f may be NULL). */
int zc_faults_any(const struct zc_faults *f);

/* One line on stderr: "zcbench: test fault: <text>". Async-signal-unsafe;
 * for the peer, the subject and the parent outside handlers. */
void zc_fault_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
