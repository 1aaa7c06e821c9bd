/* Kernel TLS on the sending side (--ktls): TLS_TX on a connected TCP socket
 * with the fixed test key of tls_record.h, so the peer decodes the kernel's
 * records exactly as it decodes user-space ones. */
#ifndef ZC_KTLS_H
#define ZC_KTLS_H

#include <stdbool.h>
#include <stddef.h>

/* Attach the "tls" upper-layer protocol to fd and install TLS_TX (TLS 1.3,
 * AES-128-GCM, sequence numbers from 0); then ask for TLS_TX_ZEROCOPY_RO
 * (sendfile's pages encrypted without a copy into the record), which sets
 * *zerocopy_ro when the kernel accepts it. Returns 0, or an errno with a
 * message in err naming the call and, where known, what the errno means
 * here. */
int zc_ktls_tx(int fd, bool *zerocopy_ro, char *err, size_t err_len);

#endif
