/* The UDP receiver of the peer: recvmmsg with UDP_GRO on, so one message
 * may hold many datagrams of one size (the cmsg says which), and every
 * datagram is placed in its stream by the pattern word it starts with
 * (zc_pattern_locate) and checked byte by byte when verifying. Lost
 * datagrams are never guessed at: what arrived is counted, and the parent
 * sets it against what the subject sent. */
#ifndef ZC_UDP_RECV_H
#define ZC_UDP_RECV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One stream's receiver. */
struct zc_udp_rx {
	uint64_t bytes, datagrams;
	int64_t mismatch_at; /* in-transfer offset of the first wrong byte, or -1 */
	uint64_t next_off;   /* where the next datagram starts if none was lost */
};

/* The receiving socket's options: UDP_GRO when gro, and a receive buffer of rcvbuf
 * bytes (SO_RCVBUFFORCE, past rmem_max, when privileged; else SO_RCVBUF,
 * capped by it). *effective: what the kernel granted (SO_RCVBUF as read
 * back: it doubles the request for its bookkeeping). Returns 0 or -1 with
 * err. */
int zc_udp_rx_setup(int fd, uint64_t rcvbuf, bool gro, int *effective, char *err, size_t err_len);

/* Receive what is queued on fd without blocking, into buf (len bytes, at
 * least 64 KiB). segment: the bytes of one transfer (datagrams restart at
 * offset 0 with each). Returns bytes received (0: nothing queued) or -errno. */
ssize_t zc_udp_receive(int fd, char *buf, size_t len, bool verify, uint64_t segment, struct zc_udp_rx *rx);

/* Datagrams the kernel dropped at fd since it was made (SO_MEMINFO's
 * SK_MEMINFO_DROPS: mostly a full receive buffer; an aggregate of a GSO
 * send or of GRO counts once). Returns 0 or an errno. */
int zc_udp_socket_drops(int fd, uint64_t *drops);

#endif
