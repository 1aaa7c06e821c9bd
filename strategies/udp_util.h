/* What the UDP senders share: the loop over a transfer's datagrams. Each
 * strategy says only how it hands a run of whole datagrams to the kernel
 * (one sendto each, sendmmsg, one UDP_SEGMENT send, the same with
 * MSG_ZEROCOPY). Datagrams are cut every ZC_UDP_DATAGRAM bytes of the
 * transfer, whatever the chunk, so all of them put the same bytes in the
 * same datagrams. */
#ifndef ZC_UDP_UTIL_H
#define ZC_UDP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strategy.h"

/* The counts every UDP strategy reports first (strategy_stats). */
enum { ZC_UDP_ST_DATAGRAMS };

/* Hand the n bytes at buf (whole datagrams, the last maybe shorter) to the
 * kernel on fd; add what went to r->moved and r->stats[ZC_UDP_ST_DATAGRAMS].
 * Returns 0, or an errno with r->what set (ECANCELED: stopped). */
typedef int (*zc_udp_send_fn)(void *state, int fd, const char *buf, size_t n, const struct zc_copy_params *p,
			      struct zc_transfer_result *r);

/* Datagrams in n bytes. */
static inline uint64_t zc_udp_datagrams(size_t n)
{
	return (n + ZC_UDP_DATAGRAM - 1) / ZC_UDP_DATAGRAM;
}

/* The bytes handed over per call: the chunk rounded down to whole datagrams,
 * at least one, at most max_datagrams. */
size_t zc_udp_span(const struct zc_copy_params *p, unsigned max_datagrams);

/* prepare's common part: a UDP sink, no redaction (the receiver places
 * datagrams by the pattern they carry); a read buffer of span bytes for file
 * sources (*buf, pre-faulted; NULL for memory sources). Returns 0 or an
 * errno with *what set. */
int zc_udp_prepare(const struct zc_copy_params *p, const struct zc_io *io, size_t span, char **buf, const char **what);
void zc_udp_release(char *buf, size_t span);

/* One transfer: memory sources are sent from where they are, file sources
 * read into buf first, span bytes at a time. */
void zc_udp_transfer(void *state, zc_udp_send_fn send_fn, char *buf, size_t span, const struct zc_copy_params *p,
		     const struct zc_io *io, struct zc_transfer_result *r);

/* A send on fd failed with err: true to call again (EINTR, EAGAIN: waited
 * until fd took more, ENOBUFS: a pause of a millisecond, the device queue
 * being full), else r says why the transfer ends. */
bool zc_udp_retry(int err, int fd, const struct zc_copy_params *p, struct zc_transfer_result *r, const char *what);

/* UDP_SEGMENT of ZC_UDP_DATAGRAM bytes on fd (udp_gso.c). Returns 0 or an
 * errno with *what set. */
int zc_udp_gso_enable(int fd, const char **what);

/* The most datagrams one UDP_SEGMENT send carries here: 44 x 1472 = 64768
 * bytes, the most that fits one IPv4 UDP send (65507). */
#define ZC_UDP_GSO_MAX 44

#endif
