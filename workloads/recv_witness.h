/* The kernel's count of what a receiver consumed from a TCP socket: a
 * witness for memory sinks, which leave nothing behind to check, that does
 * not depend on the strategy's own count. */
#ifndef ZC_RECV_WITNESS_H
#define ZC_RECV_WITNESS_H

#include <stdint.h>

/* Bytes the application took off connected TCP socket fd since it was
 * connected: bytes received in sequence (TCP_INFO tcpi_bytes_received) less
 * those still unread (SIOCINQ). Returns 0 or an errno. */
int zc_tcp_consumed(int fd, uint64_t *consumed);

#endif
