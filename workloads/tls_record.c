#include "tls_record.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arbitrary, fixed, and not all zero (a zero key would hide a key that was
 * never set). */
const unsigned char zc_tls_test_key[16] = {0x7a, 0x63, 0x62, 0x65, 0x6e, 0x63, 0x68, 0x2d,
					   0x74, 0x65, 0x73, 0x74, 0x2d, 0x6b, 0x65, 0x79};
const unsigned char zc_tls_test_iv[12] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c};

#define TYPE_APPDATA 23

/* RFC 8446 5.3: the 64-bit sequence number, big-endian, padded on the left
 * to the IV's length and XORed with it. */
static void nonce_of(const unsigned char iv[12], uint64_t seq, unsigned char nonce[12])
{
	memcpy(nonce, iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[4 + i] ^= (unsigned char)(seq >> (56 - 8 * i));
}

static void header(unsigned char *h, size_t cipher_len)
{
	h[0] = TYPE_APPDATA;
	h[1] = 3;
	h[2] = 3;
	h[3] = (unsigned char)(cipher_len >> 8);
	h[4] = (unsigned char)cipher_len;
}

int zc_tls_seal_init(struct zc_tls_seal *s, const unsigned char key[16], const unsigned char iv[12])
{
	*s = (struct zc_tls_seal){0};
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	if (!c)
		return -1;
	if (EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, key, NULL) != 1) {
		EVP_CIPHER_CTX_free(c);
		return -1;
	}
	s->ctx = c;
	memcpy(s->iv, iv, 12);
	return 0;
}

void zc_tls_seal_free(struct zc_tls_seal *s)
{
	EVP_CIPHER_CTX_free(s->ctx);
	s->ctx = NULL;
}

static int seal_record(struct zc_tls_seal *s, const unsigned char *in, size_t n, unsigned char *out)
{
	EVP_CIPHER_CTX *c = s->ctx;
	size_t clen = n + 1 + ZC_TLS_TAG;
	unsigned char nonce[12], type = TYPE_APPDATA;
	int len;
	header(out, clen);
	nonce_of(s->iv, s->seq, nonce);
	if (EVP_EncryptInit_ex(c, NULL, NULL, NULL, nonce) != 1 ||
	    EVP_EncryptUpdate(c, NULL, &len, out, ZC_TLS_HDR) != 1 ||
	    EVP_EncryptUpdate(c, out + ZC_TLS_HDR, &len, in, (int)n) != 1 ||
	    EVP_EncryptUpdate(c, out + ZC_TLS_HDR + n, &len, &type, 1) != 1 ||
	    EVP_EncryptFinal_ex(c, out + ZC_TLS_HDR + n + 1, &len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, ZC_TLS_TAG, out + ZC_TLS_HDR + n + 1) != 1)
		return -1;
	s->seq++;
	return 0;
}

int zc_tls_seal(struct zc_tls_seal *s, const void *in, size_t n, unsigned char *out)
{
	const unsigned char *from = in;
	unsigned char *to = out;
	uint64_t start = s->wire;
	while (n > 0) {
		size_t k = n < ZC_TLS_MAX_PLAIN ? n : ZC_TLS_MAX_PLAIN;
		if (seal_record(s, from, k, to) != 0)
			return -1;
		from += k;
		to += k + ZC_TLS_OVERHEAD;
		n -= k;
	}
	s->wire += (uint64_t)(to - out);
	if (s->corrupt_at && s->corrupt_at - 1 >= start && s->corrupt_at - 1 < s->wire)
		out[s->corrupt_at - 1 - start] ^= 0x10;
	return 0;
}

uint64_t zc_tls_payload_in(const unsigned char *out, size_t wire)
{
	uint64_t payload = 0;
	size_t at = 0;
	while (at + ZC_TLS_HDR <= wire) {
		size_t clen = (size_t)out[at + 3] << 8 | out[at + 4];
		if (at + ZC_TLS_HDR + clen > wire)
			break;
		payload += clen - 1 - ZC_TLS_TAG;
		at += ZC_TLS_HDR + clen;
	}
	return payload;
}

int zc_tls_open_init(struct zc_tls_open *o, const unsigned char key[16], const unsigned char iv[12], bool decrypt)
{
	*o = (struct zc_tls_open){0};
	o->rec = malloc(ZC_TLS_HDR + ZC_TLS_MAX_CIPHER);
	if (!o->rec)
		return -1;
	memcpy(o->iv, iv, 12);
	if (!decrypt)
		return 0;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	if (!c || EVP_DecryptInit_ex(c, EVP_aes_128_gcm(), NULL, key, NULL) != 1) {
		EVP_CIPHER_CTX_free(c);
		free(o->rec);
		o->rec = NULL;
		return -1;
	}
	o->ctx = c;
	return 0;
}

void zc_tls_open_free(struct zc_tls_open *o)
{
	EVP_CIPHER_CTX_free(o->ctx);
	o->ctx = NULL;
	free(o->rec);
	o->rec = NULL;
}

static void fail(struct zc_tls_open *o, const char *why)
{
	if (o->failed)
		return;
	o->failed = true;
	o->failed_record = o->records;
	o->failed_at = o->payload;
	snprintf(o->why, sizeof o->why, "TLS record %llu: %s", (unsigned long long)o->records, why);
}

/* A whole record is in o->rec: authenticate and decrypt it in place. Returns
 * the payload length, or -1 (o says why). */
static long open_record(struct zc_tls_open *o, size_t clen)
{
	EVP_CIPHER_CTX *c = o->ctx;
	unsigned char nonce[12], *body = o->rec + ZC_TLS_HDR, *tag = body + clen - ZC_TLS_TAG;
	int len;
	nonce_of(o->iv, o->seq, nonce);
	size_t inner = clen - ZC_TLS_TAG;
	if (EVP_DecryptInit_ex(c, NULL, NULL, NULL, nonce) != 1 ||
	    EVP_DecryptUpdate(c, NULL, &len, o->rec, ZC_TLS_HDR) != 1 ||
	    EVP_DecryptUpdate(c, body, &len, body, (int)inner) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, ZC_TLS_TAG, tag) != 1) {
		fail(o, "libcrypto refused to decrypt");
		return -1;
	}
	unsigned char end[16];
	if (EVP_DecryptFinal_ex(c, end, &len) != 1) {
		fail(o, "authentication failed (wrong key or corrupted record)");
		return -1;
	}
	/* The inner plaintext ends with the content type, then zero padding. */
	while (inner > 0 && body[inner - 1] == 0)
		inner--;
	if (inner == 0 || body[inner - 1] != TYPE_APPDATA) {
		fail(o, "inner content type is not application data");
		return -1;
	}
	return (long)(inner - 1);
}

void zc_tls_open_feed(struct zc_tls_open *o, const void *in, size_t n,
		      void (*plain)(void *arg, const unsigned char *p, size_t len, uint64_t off), void *arg)
{
	const unsigned char *from = in;
	o->wire += n;
	while (n > 0 && !o->lost_framing) {
		size_t clen = o->have >= ZC_TLS_HDR ? (size_t)o->rec[3] << 8 | o->rec[4] : 0;
		size_t need = ZC_TLS_HDR + clen - o->have;
		size_t take = n < need ? n : need;
		memcpy(o->rec + o->have, from, take);
		o->have += take;
		from += take;
		n -= take;
		if (o->have == ZC_TLS_HDR) {
			clen = (size_t)o->rec[3] << 8 | o->rec[4];
			if (o->rec[0] != TYPE_APPDATA || o->rec[1] != 3 || o->rec[2] != 3 || clen < 1 + ZC_TLS_TAG ||
			    clen > ZC_TLS_MAX_CIPHER) {
				fail(o, "not a TLS 1.3 application-data record header");
				o->lost_framing = true;
			}
			continue;
		}
		if (o->have < ZC_TLS_HDR || o->have < ZC_TLS_HDR + clen)
			continue;
		long got;
		if (o->ctx && !o->failed) {
			got = open_record(o, clen);
			if (got >= 0 && plain)
				plain(arg, o->rec + ZC_TLS_HDR, (size_t)got, o->payload);
			if (got < 0) /* counted from the header from now on */
				got = (long)(clen - 1 - ZC_TLS_TAG);
		} else {
			got = (long)(clen - 1 - ZC_TLS_TAG); /* no padding: neither sender pads */
		}
		o->payload += (uint64_t)got;
		o->records++;
		o->seq++;
		o->have = 0;
	}
}
