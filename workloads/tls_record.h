/* TLS 1.3 application-data records with AES-128-GCM (RFC 8446, 5.1-5.3),
 * without a handshake: a fixed test key and IV, sequence numbers from 0 per
 * connection. The benchmark measures the data path, so what a handshake
 * would agree on is a constant here; the record format is exactly what
 * kernel TLS (TLS_1_3_VERSION, TLS_CIPHER_AES_GCM_128) sends, so one
 * decoder checks both user-space (--inspect encrypt) and kernel (--ktls)
 * streams. The same key on every connection means reused nonces across
 * streams: harmless for a benchmark's fixed test key, never for real data.
 *
 * A record on the wire: a 5-byte header (type 23, legacy version 0x0303,
 * length), then the AES-GCM ciphertext of the payload followed by the inner
 * content type byte (23), then the 16-byte tag. The header is the additional
 * authenticated data; the nonce is the IV XOR the 64-bit sequence number,
 * right-aligned. At most 16384 payload bytes per record. */
#ifndef ZC_TLS_RECORD_H
#define ZC_TLS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZC_TLS_HDR	 5
#define ZC_TLS_TAG	 16
#define ZC_TLS_MAX_PLAIN 16384u
/* Bytes a record adds to its payload: header, inner content type, tag. */
#define ZC_TLS_OVERHEAD (ZC_TLS_HDR + 1 + ZC_TLS_TAG)
/* The largest ciphertext a record may carry (RFC 8446 5.2: 2^14 + 256). */
#define ZC_TLS_MAX_CIPHER (ZC_TLS_MAX_PLAIN + 256u)

extern const unsigned char zc_tls_test_key[16]; /* the fixed test key */
extern const unsigned char zc_tls_test_iv[12];	/* the fixed IV (kTLS: 4-byte salt, then 8) */

/* Wire bytes of n payload bytes sealed in records of at most 16384. */
static inline size_t zc_tls_sealed_len(size_t n)
{
	return n + (n + ZC_TLS_MAX_PLAIN - 1) / ZC_TLS_MAX_PLAIN * ZC_TLS_OVERHEAD;
}

/* The sending side of one connection. */
struct zc_tls_seal {
	void *ctx; /* EVP_CIPHER_CTX */
	unsigned char iv[12];
	uint64_t seq;  /* the next record's sequence number */
	uint64_t wire; /* wire bytes sealed so far */
	/* Test fault (tls-corrupt): flip one bit of the wire byte at offset
	 * corrupt_at - 1 once it is sealed; 0: off. */
	uint64_t corrupt_at;
};

/* Returns 0, or -1 when libcrypto cannot set up AES-128-GCM. */
int zc_tls_seal_init(struct zc_tls_seal *s, const unsigned char key[16], const unsigned char iv[12]);
void zc_tls_seal_free(struct zc_tls_seal *s);
/* Seal n payload bytes into out (zc_tls_sealed_len(n) bytes). Returns 0, or -1
 * when libcrypto failed. */
int zc_tls_seal(struct zc_tls_seal *s, const void *in, size_t n, unsigned char *out);
/* The payload carried by the whole records among the first `wire` bytes of
 * sealed records starting at out (what a receiver can decrypt of a write
 * that stopped part-way). */
uint64_t zc_tls_payload_in(const unsigned char *out, size_t wire);

/* The receiving side of one connection: fed the wire bytes as they arrive,
 * in any pieces. */
struct zc_tls_open {
	void *ctx; /* EVP_CIPHER_CTX; NULL when only counting */
	unsigned char iv[12];
	uint64_t seq;
	unsigned char *rec; /* the record being assembled */
	size_t have;	    /* bytes of it so far */
	uint64_t wire;	    /* wire bytes fed */
	uint64_t payload;   /* payload bytes of whole records: decrypted, or counted from their headers */
	uint64_t records;
	/* The first bad record: its index, the payload offset where it starts
	 * (the first byte that cannot be trusted) and why. After a bad header
	 * nothing more is counted; after a bad tag the records are still
	 * counted from their headers but no longer decrypted. */
	bool failed, lost_framing;
	uint64_t failed_record, failed_at;
	char why[96];
};

/* decrypt: false to parse the framing and count only. Returns 0, or -1 when
 * out of memory or libcrypto cannot set up AES-128-GCM. */
int zc_tls_open_init(struct zc_tls_open *o, const unsigned char key[16], const unsigned char iv[12], bool decrypt);
void zc_tls_open_free(struct zc_tls_open *o);
/* Take n wire bytes. Each whole record's payload, decrypted and
 * authenticated, goes to plain(arg, bytes, len, offset in the payload
 * stream) when decrypting. */
void zc_tls_open_feed(struct zc_tls_open *o, const void *in, size_t n,
		      void (*plain)(void *arg, const unsigned char *p, size_t len, uint64_t off), void *arg);
/* Wire bytes of a record that had begun but not ended when the stream did. */
static inline size_t zc_tls_open_partial(const struct zc_tls_open *o)
{
	return o->have;
}

#endif
