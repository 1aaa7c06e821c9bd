/* Encryption on the data path (issue 16): TLS 1.3 records sealed and opened
 * in any pieces; --inspect encrypt byte-exact for every strategy that
 * implements it, on every stream workload, with the wire bytes exactly the
 * payload plus 22 per record; a wrong key and a corrupted record refused by
 * the peer with the offset of the first byte it cannot trust; --ktls skipped
 * with the errno's words where the kernel has no "tls" upper-layer protocol
 * (this host), verified where it has one; the option clash refused. */
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "run_cmd.h"
#include "workloads/pattern.h"
#include "workloads/tls_record.h"

static const char *bin;
static char dir[] = "/tmp/zc-tls-XXXXXX";
static char cache_opt[300], out[300];

#define zc(status, ...) zc_run_json(bin, out, cache_opt, status, __VA_ARGS__)

static const char *str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "(null)";
}

struct collect {
	unsigned char *buf;
	uint64_t next; /* the offset the next piece must start at */
	int bad;
};

static void collect(void *arg, const unsigned char *p, size_t len, uint64_t off)
{
	struct collect *c = arg;
	if (off != c->next)
		c->bad++;
	memcpy(c->buf + off, p, len);
	c->next = off + len;
}

/* Seal a pattern in pieces of odd sizes, open it fed in pieces of other odd
 * sizes: the same bytes come back, each record framed as RFC 8446 says. */
static void round_trip(void)
{
	enum { N = 300000 };
	static const size_t pieces[] = {1, 16383, 16384, 16385, 40000, 7, 100000};
	unsigned char *plain = malloc(N), *back = calloc(1, N), *wire = malloc(2 * N);
	zc_pattern_fill((char *)plain, 0, N);
	struct zc_tls_seal s;
	CHECK(zc_tls_seal_init(&s, zc_tls_test_key, zc_tls_test_iv) == 0);
	size_t in = 0, w = 0, records = 0, last = 0;
	for (unsigned i = 0; in < N; i = (i + 1) % (sizeof pieces / sizeof pieces[0])) {
		size_t n = pieces[i] < N - in ? pieces[i] : N - in;
		CHECK(zc_tls_seal(&s, plain + in, n, wire + w) == 0);
		/* The first record of the piece: type 23, version 0x0303, length. */
		size_t first = n < ZC_TLS_MAX_PLAIN ? n : ZC_TLS_MAX_PLAIN;
		CHECK(wire[w] == 23 && wire[w + 1] == 3 && wire[w + 2] == 3);
		CHECK_EQ_U64((size_t)wire[w + 3] << 8 | wire[w + 4], first + 1 + ZC_TLS_TAG);
		size_t k = (n + ZC_TLS_MAX_PLAIN - 1) / ZC_TLS_MAX_PLAIN;
		records += k;
		last = n - (k - 1) * ZC_TLS_MAX_PLAIN; /* the piece's last record */
		in += n;
		w += zc_tls_sealed_len(n);
	}
	CHECK_EQ_U64(s.wire, w);
	CHECK_EQ_U64(s.seq, records);
	CHECK_EQ_U64(zc_tls_payload_in(wire, w), N);
	/* One byte short: the last record is not whole. */
	CHECK_EQ_U64(zc_tls_payload_in(wire, w - 1), N - last);
	zc_tls_seal_free(&s);

	struct zc_tls_open o;
	CHECK(zc_tls_open_init(&o, zc_tls_test_key, zc_tls_test_iv, true) == 0);
	struct collect c = {.buf = back};
	static const size_t feeds[] = {1, 4, 5, 4096, 16405, 16406, 99999};
	for (size_t at = 0, i = 0; at < w; i = (i + 1) % (sizeof feeds / sizeof feeds[0])) {
		size_t n = feeds[i] < w - at ? feeds[i] : w - at;
		zc_tls_open_feed(&o, wire + at, n, collect, &c);
		at += n;
	}
	CHECK(!o.failed);
	CHECK_EQ_U64(o.payload, N);
	CHECK_EQ_U64(o.records, records);
	CHECK_EQ_U64(o.wire, w);
	CHECK_EQ_U64(c.next, N);
	CHECK(c.bad == 0);
	CHECK(memcmp(plain, back, N) == 0);
	zc_tls_open_free(&o);

	/* One bit flipped in the fourth record (the pieces sealed 1, 16383 and
	 * 16384 bytes before it): it fails authentication, the first untrusted
	 * byte is where its payload starts, and the records after it are still
	 * counted. */
	wire[(1 + ZC_TLS_OVERHEAD) + (16383 + ZC_TLS_OVERHEAD) + (16384 + ZC_TLS_OVERHEAD) + 100] ^= 1;
	CHECK(zc_tls_open_init(&o, zc_tls_test_key, zc_tls_test_iv, true) == 0);
	c = (struct collect){.buf = back};
	zc_tls_open_feed(&o, wire, w, collect, &c);
	CHECK(o.failed && !o.lost_framing);
	CHECK_EQ_U64(o.failed_record, 3);
	CHECK_EQ_U64(o.failed_at, 1 + 16383 + 16384);
	CHECK_EQ_U64(o.payload, N);
	CHECK(strstr(o.why, "authentication failed") != NULL);
	zc_tls_open_free(&o);
	free(plain);
	free(back);
	free(wire);
}

/* --inspect encrypt on every strategy and stream workload, every byte
 * decrypted and checked by the peer. */
static void encrypt_matrix(void)
{
	int st;
	json_t *doc = zc(&st, "run", "--strategy", "all", "--workload", "all", "--size", "2M", "--reps", "1",
			 "--warmup", "0", "--verify", "all", "--inspect", "encrypt", NULL);
	CHECK(st == 0);
	size_t ok = 0;
	json_t *cells = json_object_get(doc, "results");
	for (size_t i = 0; i < json_array_size(cells); i++) {
		json_t *c = json_array_get(cells, i);
		const char *s = str(c, "strategy"), *w = str(c, "workload"), *status = str(c, "status");
		bool encrypts = strcmp(s, "readwrite") == 0 || strcmp(s, "pooled") == 0 ||
				strcmp(s, "readv_writev") == 0 || strcmp(s, "mmap") == 0 ||
				strcmp(s, "msg_zerocopy") == 0 || strcmp(s, "io_uring") == 0 ||
				strcmp(s, "io_uring_send_zc") == 0;
		bool stream_sink = strcmp(w, "file-file") != 0 && strcmp(w, "pipe-file") != 0 &&
				   strcmp(w, "tcp-file") != 0 && strcmp(w, "tcp-mem") != 0;
		if (strcmp(status, "ok") != 0) {
			if (strcmp(status, "skipped") != 0 || (encrypts && stream_sink))
				fprintf(stderr, "encrypt: %s on %s: %s %s\n", s, w, status, str(c, "reason"));
			CHECK(strcmp(status, "skipped") == 0);
			continue;
		}
		CHECK(encrypts && stream_sink);
		ok++;
		json_t *tls = json_object_get(c, "tls");
		CHECK(strcmp(str(tls, "mode"), "user-space") == 0);
		json_t *run = json_array_get(json_object_get(c, "runs"), 0);
		CHECK(json_is_true(json_object_get(run, "verified")));
		CHECK_EQ_U64(json_integer_value(json_object_get(run, "bytes")), 2u << 20);
		/* A file or memory source fills every chunk (32 KiB to 1 MiB):
		 * 16384-byte records, 128 of them, 22 bytes each on top. A socket source (the proxy)
		 * reads what arrived: as many records or more, some shorter. */
		json_int_t wire = json_integer_value(json_object_get(run, "wire_bytes"));
		if (strcmp(w, "tcp-proxy") == 0)
			CHECK(wire >= (2 << 20) + 128 * ZC_TLS_OVERHEAD);
		else
			CHECK_EQ_U64(wire, (2u << 20) + 128 * ZC_TLS_OVERHEAD);
	}
	/* readwrite: 6 stream workloads, pooled and readv_writev: 5 (no memory
	 * source), mmap: 4 (file sources), io_uring: 4 (one sink, no memory
	 * source), msg_zerocopy and io_uring_send_zc: 3 (one TCP sink). Only
	 * vmsplice and vmsplice_gift are left out (skipped, with the reason). */
	CHECK_EQ_U64(ok, 30);
	json_decref(doc);
}

/* The peer refuses what it cannot authenticate: the cell fails, the reason
 * names the offset of the first untrusted byte and the record. */
static void refused(const char *fault, const char *want)
{
	setenv("ZCBENCH_TEST_FAULTS", fault, 1);
	int st;
	json_t *doc = zc(&st, "run", "--strategy", "readwrite", "--workload", "file-tcp", "--size", "1M", "--reps", "1",
			 "--warmup", "0", "--verify", "all", "--inspect", "encrypt", NULL);
	unsetenv("ZCBENCH_TEST_FAULTS");
	CHECK(st == 1);
	json_t *c = json_array_get(json_object_get(doc, "results"), 0);
	CHECK(strcmp(str(c, "status"), "failed") == 0);
	if (!strstr(str(c, "reason"), want)) {
		fprintf(stderr, "%s: reason '%s', expected '%s'\n", fault, str(c, "reason"), want);
		check_failures++;
	}
	json_decref(doc);
}

/* Whether this kernel has the "tls" ULP: ENOENT on any TCP socket when not
 * (the lookup comes before the connection state is looked at). */
static bool kernel_has_tls(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int rc = setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", sizeof "tls");
	int e = errno;
	close(fd);
	return rc == 0 || e != ENOENT;
}

static void ktls(void)
{
	int st;
	json_t *doc = zc(&st, "run", "--strategy", "sendfile,splice,readwrite", "--workload", "file-tcp,file-file",
			 "--size", "1M", "--reps", "1", "--warmup", "0", "--verify", "all", "--ktls", NULL);
	CHECK(st == 0);
	bool has = kernel_has_tls();
	json_t *cells = json_object_get(doc, "results");
	size_t seen = 0;
	for (size_t i = 0; i < json_array_size(cells); i++) {
		json_t *c = json_array_get(cells, i);
		const char *w = str(c, "workload"), *status = str(c, "status"), *reason = str(c, "reason");
		CHECK(json_is_true(json_object_get(json_object_get(c, "params"), "ktls")));
		if (strcmp(w, "file-file") == 0) {
			CHECK(strcmp(status, "skipped") == 0 && strstr(reason, "not one") != NULL);
			continue;
		}
		seen++;
		if (!has) {
			CHECK(strcmp(status, "skipped") == 0);
			if (!strstr(reason, "setsockopt(TCP_ULP, \"tls\"): No such file or directory (the \"tls\" "
					    "upper-layer protocol is not available")) {
				fprintf(stderr, "ktls: reason '%s'\n", reason);
				check_failures++;
			}
			continue;
		}
		CHECK(strcmp(status, "ok") == 0);
		json_t *run = json_array_get(json_object_get(c, "runs"), 0);
		CHECK(json_is_true(json_object_get(run, "verified")));
		CHECK(json_integer_value(json_object_get(run, "wire_bytes")) > 1 << 20);
		CHECK(strcmp(str(json_object_get(c, "tls"), "mode"), "kernel") == 0);
	}
	CHECK_EQ_U64(seen, 3);
	json_decref(doc);
	printf("ktls: this kernel %s the \"tls\" upper-layer protocol\n", has ? "has" : "lacks");

	/* Both encrypt: refused as bad usage. */
	static struct cmd_result r;
	char *args[] = {(char *)bin, "run",	  "--strategy", "readwrite", "--workload", "file-tcp",
			"--ktls",    "--inspect", "encrypt",	cache_opt,   NULL};
	CHECK(run_cmd(args, &r) == 0);
	CHECK(r.status == 2);
	CHECK(strstr(r.err, "--ktls and --inspect encrypt") != NULL);
}

/* --price-of-control: five cells on the workload, the table in the JSON
 * (blind first, its ratio 1), the kTLS row as the kernel allows, and the
 * same table in the report's summary.md. */
static void price(void)
{
	int st;
	json_t *doc = zc(&st, "run", "--price-of-control", "--workload", "file-tcp", "--size", "1M", "--reps", "2",
			 "--warmup", "0", NULL);
	CHECK(st == 0);
	CHECK_EQ_U64(json_array_size(json_object_get(doc, "results")), 5);
	json_t *tab = json_array_get(json_object_get(doc, "price_of_control"), 0);
	CHECK(strcmp(str(tab, "workload"), "file-tcp") == 0);
	json_t *rows = json_object_get(tab, "rows");
	CHECK_EQ_U64(json_array_size(rows), 5);
	static const char *const variant[] = {"blind", "blind + kTLS", "sees: AES-128-GCM", "sees: CRC32C",
					      "sees: redaction"};
	static const char *const strategy[] = {"sendfile", "sendfile", "readwrite", "readwrite", "readwrite"};
	for (size_t i = 0; i < 5; i++) {
		json_t *r = json_array_get(rows, i);
		CHECK(strcmp(str(r, "variant"), variant[i]) == 0);
		CHECK(strcmp(str(r, "strategy"), strategy[i]) == 0);
		bool ok = strcmp(str(r, "status"), "ok") == 0;
		CHECK(ok == (i != 1 || kernel_has_tls()));
		if (!ok)
			continue;
		CHECK(json_is_number(json_object_get(r, "median_bytes_per_s")));
		CHECK(json_is_number(json_object_get(r, "ratio_to_blind")));
		CHECK(json_is_number(json_object_get(r, "wire_per_payload")) == (i == 1 || i == 2));
	}
	CHECK(json_number_value(json_object_get(json_array_get(rows, 0), "ratio_to_blind")) == 1.0);
	CHECK_EQ_U64(json_integer_value(json_object_get(json_array_get(rows, 2), "paired_rounds")), 2);
	/* One chunk for all five: only the strategy and what it does differ. */
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(doc, "results"), i, c)
	{
		CHECK_EQ_U64(json_integer_value(json_object_get(json_object_get(c, "params"), "chunk_bytes")), 1048576);
	}
	json_decref(doc);
	/* A workload without a file source has no blind row. */
	char *mem[] = {(char *)bin, "run", "--price-of-control", "--workload", "mem-tcp", "--size", "1M",
		       cache_opt,   NULL};
	static struct cmd_result mr;
	CHECK(run_cmd(mem, &mr) == 0);
	CHECK(mr.status == 2);
	CHECK(strstr(mr.err, "--price-of-control: workload 'mem-tcp' has no blind row") != NULL);

	char cmd[900];
	snprintf(cmd, sizeof cmd, "'%s' report '%s' --out '%s/report' >/dev/null 2>&1", bin, out, dir);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof cmd,
		 "grep -q '^### The price of control' '%s/report/summary.md' && "
		 "grep -q '^| sees: AES-128-GCM | readwrite |' '%s/report/summary.md'",
		 dir, dir);
	CHECK(system(cmd) == 0);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	bin = argv[1];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s/cache", dir);
	snprintf(out, sizeof out, "%s/r.json", dir);

	round_trip();
	encrypt_matrix();
	/* A peer with another key: the very first record fails. */
	refused("tls-wrong-key=1",
		"verification failed: first wrong byte at offset 0 (TLS record 0: authentication failed");
	/* One bit of record 5's ciphertext flipped on the wire (16406 wire
	 * bytes a record): its payload starts at 5 * 16384 = 81920. */
	refused("tls-corrupt=82131",
		"verification failed: first wrong byte at offset 81920 (TLS record 5: authentication failed");
	ktls();
	price();

	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	return check_failures ? 1 : 0;
}
