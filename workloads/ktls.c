#include "ktls.h"

#include <errno.h>
#include <linux/tls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "tls_record.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

int zc_ktls_tx(int fd, bool *zerocopy_ro, char *err, size_t err_len)
{
	*zerocopy_ro = false;
	if (setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", sizeof "tls") != 0) {
		int e = errno;
		/* ENOENT: no "tls" ULP registered (tls.ko absent or not loaded). */
		snprintf(err, err_len, "setsockopt(TCP_ULP, \"tls\"): %s%s", strerror(e),
			 e == ENOENT ? " (the \"tls\" upper-layer protocol is not available in this kernel)" : "");
		return e;
	}
	struct tls12_crypto_info_aes_gcm_128 ci = {0};
	ci.info.version = TLS_1_3_VERSION;
	ci.info.cipher_type = TLS_CIPHER_AES_GCM_128;
	/* The 12-byte IV is the 4-byte salt then the 8-byte iv. */
	memcpy(ci.salt, zc_tls_test_iv, TLS_CIPHER_AES_GCM_128_SALT_SIZE);
	memcpy(ci.iv, zc_tls_test_iv + TLS_CIPHER_AES_GCM_128_SALT_SIZE, TLS_CIPHER_AES_GCM_128_IV_SIZE);
	memcpy(ci.key, zc_tls_test_key, TLS_CIPHER_AES_GCM_128_KEY_SIZE);
	if (setsockopt(fd, SOL_TLS, TLS_TX, &ci, sizeof ci) != 0) {
		int e = errno;
		snprintf(err, err_len, "setsockopt(SOL_TLS, TLS_TX, TLS 1.3 AES-128-GCM): %s", strerror(e));
		return e;
	}
	int one = 1;
	*zerocopy_ro = setsockopt(fd, SOL_TLS, TLS_TX_ZEROCOPY_RO, &one, sizeof one) == 0;
	return 0;
}
