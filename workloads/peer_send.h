/* The peer's sender role for TCP sources (--send-mode): send() or
 * send(MSG_ZEROCOPY) from an anonymous, page-aligned buffer holding one
 * segment read from the pattern file before the run (so no page fault lands
 * in it, and a receiver can be handed whole pages); sendfile stays in peer.c. */
#ifndef ZC_PEER_SEND_H
#define ZC_PEER_SEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "workload.h"

struct zc_send_buf {
	char *buf; /* segment bytes of the pattern, page-aligned; NULL when unused */
	size_t len;
	enum zc_send_mode mode;
	/* MSG_ZEROCOPY: sends that took bytes (each has an id), ids reported
	 * complete, and those flagged SO_EE_CODE_ZEROCOPY_COPIED. */
	uint64_t zc_sends, zc_completions, zc_copied;
};

/* Before the run: allocate and fill the buffer (modes send and zerocopy).
 * Returns 0 or an errno. */
int zc_send_buf_init(struct zc_send_buf *b, const struct zc_wl_params *p);
/* Set a producing socket up for the mode (SO_ZEROCOPY). Returns 0 or an errno. */
int zc_send_socket_setup(const struct zc_send_buf *b, int fd);
/* Send up to n bytes from segment offset off on the non-blocking socket fd.
 * Returns the bytes sent, or -1 with errno (EAGAIN: try again once writable). */
ssize_t zc_send_some(struct zc_send_buf *b, int fd, uint64_t off, size_t n);
/* Reap MSG_ZEROCOPY completions queued on fd (never blocks). */
void zc_send_reap(struct zc_send_buf *b, int fd);
/* After the last send on every stream (each shut down for writing, so the
 * subject has seen its end): wait up to timeout_ms for the completions still
 * owed on fds, so the counts cover every send. */
void zc_send_await_completions(struct zc_send_buf *b, const int *fds, unsigned n, int timeout_ms);
void zc_send_buf_free(struct zc_send_buf *b);

#endif
