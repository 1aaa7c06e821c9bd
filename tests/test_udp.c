/* UDP over loopback: every UDP strategy on both UDP workloads moves every
 * byte, verified byte by byte where it arrived, in exactly the datagrams the
 * sizes call for (one per 1472 bytes of each transfer, the last shorter);
 * what was lost is counted (sent = received + lost, in datagrams and in
 * bytes). Then loss of a known kind: a receiver that sleeps behind a tiny
 * receive buffer loses datagrams, exactly as many as the kernel says its
 * socket dropped, and what did arrive still verifies. */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "json_check.h"
#include "run_cmd.h"

static const char *bin;
static char dir[] = "/tmp/zc-udp-XXXXXX";
static char out[300], cache_opt[320];

#define zc(status, ...) zc_run_json(bin, out, cache_opt, status, __VA_ARGS__)

/* The datagrams of `transfers` transfers of `segment` bytes each. */
static uint64_t datagrams(uint64_t segment, uint64_t transfers)
{
	return (segment + 1471) / 1472 * transfers;
}

/* sent = received + lost, in datagrams and bytes; returns lost datagrams. */
static uint64_t check_accounting(json_t *u, uint64_t sent_datagrams, uint64_t sent_bytes)
{
	CHECK_EQ_U64(jnum(u, "sent_datagrams"), sent_datagrams);
	CHECK_EQ_U64(jnum(u, "sent_bytes"), sent_bytes);
	uint64_t rd = jnum(u, "received_datagrams"), ld = jnum(u, "lost_datagrams");
	CHECK_EQ_U64(rd + ld, sent_datagrams);
	CHECK_EQ_U64(jnum(u, "received_bytes") + jnum(u, "lost_bytes"), sent_bytes);
	CHECK(jnum(u, "rcvbuf_bytes") > 0);
	return ld;
}

static void byte_exact(const char *strategy, const char *workload)
{
	/* 1000000 bytes in 2 transfers of 500000: 339 full datagrams and one
	 * of 992 bytes each. */
	int st;
	json_t *doc = zc(&st, "run", "--strategy", strategy, "--workload", workload, "--size", "1000000", "--transfers",
			 "2", "--reps", "2", "--warmup", "0", "--verify", "all", NULL);
	char what[128];
	snprintf(what, sizeof what, "%s on %s", strategy, workload);
	json_t *cell = ok_cell(doc, st, what);
	if (!cell) {
		json_decref(doc);
		return;
	}
	json_t *params = json_object_get(cell, "params");
	CHECK_EQ_U64(jnum(json_object_get(params, "udp"), "datagram_bytes"), 1472);
	CHECK(json_object_get(params, "network") == NULL); /* loopback: as before */
	CHECK(strcmp(jstr(cell, "network"), "loopback") == 0);
	json_t *runs = json_object_get(cell, "runs");
	CHECK_EQ_U64(json_array_size(runs), 2);
	for (size_t i = 0; i < json_array_size(runs); i++) {
		json_t *run = json_array_get(runs, i);
		json_t *stats = json_object_get(run, "strategy_stats");
		CHECK(json_is_true(json_object_get(run, "verified")));
		CHECK_EQ_U64(jnum(run, "bytes"), 1000000);
		CHECK_EQ_U64(jnum(stats, "datagrams"), datagrams(500000, 2));
		uint64_t lost = check_accounting(json_object_get(run, "udp"), datagrams(500000, 2), 1000000);
		if (lost)
			fprintf(stderr, "%s: %" PRIu64 " datagrams lost on loopback (counted)\n", what, lost);
		if (strcmp(strategy, "udp_zerocopy") == 0) {
			/* Every send completed before the transfer returned. */
			CHECK_EQ_U64(jnum(stats, "completions"), jnum(stats, "sends"));
			CHECK(jnum(stats, "zc_copied") <= jnum(stats, "completions"));
			/* 44 datagrams per send at most: 8 sends per transfer. */
			CHECK_EQ_U64(jnum(stats, "sends"), 2 * 8);
		}
		if (strcmp(strategy, "udp_gso") == 0)
			CHECK_EQ_U64(jnum(stats, "sends"), 2 * 8);
	}
	json_decref(doc);
}

static void no_gro(void)
{
	int st;
	json_t *doc = zc(&st, "run", "--strategy", "udp_gso", "--workload", "file-udp", "--size", "1000000",
			 "--udp-gro", "off", "--reps", "1", "--warmup", "0", "--verify", "all", NULL);
	json_t *cell = ok_cell(doc, st, "udp_gso without GRO");
	if (cell) {
		CHECK(json_is_false(json_object_get(json_object_get(json_object_get(cell, "params"), "udp"), "gro")));
		json_t *run = json_array_get(json_object_get(cell, "runs"), 0);
		CHECK(json_is_true(json_object_get(run, "verified")));
		check_accounting(json_object_get(run, "udp"), datagrams(1000000, 1), 1000000);
	}
	json_decref(doc);
}

/* A receiver asleep behind a tiny buffer: loss, exactly as the kernel
 * counted it, and what arrived still byte-exact. */
static void constructed_loss(void)
{
	setenv("ZCBENCH_TEST_FAULTS", "peer-delay=1s", 1);
	int st;
	json_t *doc = zc(&st, "run", "--strategy", "udp_sendto", "--workload", "mem-udp", "--size", "4M",
			 "--udp-rcvbuf", "4K", "--reps", "1", "--warmup", "0", "--verify", "all", NULL);
	unsetenv("ZCBENCH_TEST_FAULTS");
	json_t *cell = ok_cell(doc, st, "constructed loss");
	if (cell) {
		json_t *run = json_array_get(json_object_get(cell, "runs"), 0);
		json_t *u = json_object_get(run, "udp");
		uint64_t sent = datagrams(4 << 20, 1);
		uint64_t lost = check_accounting(u, sent, 4 << 20);
		/* One datagram per skb: every one lost was dropped at the full
		 * socket, and the kernel's count says so. */
		CHECK(lost > 0);
		CHECK(jnum(u, "received_datagrams") > 0);
		CHECK_EQ_U64(jnum(u, "socket_drops"), lost);
		CHECK(json_is_true(json_object_get(run, "verified")));
		fprintf(stderr, "constructed loss: %" PRIu64 " of %" PRIu64 " datagrams lost, %" PRIu64 " received\n",
			lost, sent, jnum(u, "received_datagrams"));
	}
	json_decref(doc);
}

static void cli_errors(void)
{
	struct {
		const char *a, *b, *c, *want;
	} cases[] = {
		{"--mtu", "9000", NULL, "--mtu needs --netns"},
		{"--netns", "--sink", "blackhole", "exclude each other"},
		{"--mtu", "1000", "--netns", "--mtu"},
		{"--sink", "nowhere", NULL, "--sink"},
		{"--netns", "--peer", "127.0.0.1:9", "exclude each other"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *argv[16] = {(char *)bin, "run", "--strategy", "udp_gso", "--workload", "mem-udp"};
		int n = 6;
		argv[n++] = (char *)cases[i].a;
		argv[n++] = (char *)cases[i].b;
		if (cases[i].c)
			argv[n++] = (char *)cases[i].c;
		argv[n] = NULL;
		struct cmd_result r;
		CHECK(run_cmd(argv, &r) == 0);
		CHECK_EQ_U64(r.status, 2);
		CHECK(strstr(r.err, cases[i].want) != NULL);
		CHECK_EQ_U64(count_lines(r.err), 1);
	}
	/* The blackhole takes UDP only. */
	char *argv[] = {(char *)bin, "run",    "--strategy", "readwrite", "--workload",
			"mem-tcp",   "--sink", "blackhole",  NULL};
	struct cmd_result r;
	CHECK(run_cmd(argv, &r) == 0);
	CHECK_EQ_U64(r.status, 2);
	CHECK(strstr(r.err, "--sink blackhole takes UDP workloads") != NULL);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	bin = argv[1];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(out, sizeof out, "%s/r.json", dir);
	snprintf(cache_opt, sizeof cache_opt, "--cache-dir=%s/cache", dir);

	const char *strategies[] = {"udp_sendto", "udp_sendmmsg", "udp_gso", "udp_zerocopy"};
	const char *workloads[] = {"mem-udp", "file-udp"};
	for (size_t s = 0; s < 4; s++)
		for (size_t w = 0; w < 2; w++)
			byte_exact(strategies[s], workloads[w]);
	/* Without UDP_GRO the receiver takes the datagrams one by one, each
	 * placed and checked the same way. */
	no_gro();
	constructed_loss();
	cli_errors();

	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	CHECK_DONE();
}
