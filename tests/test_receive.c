/* The receive side (tcp-file, tcp-mem): what a receiver can map depends on
 * how the peer sent, counted from the kernel's replies (counts, never
 * timings); the send mode is recorded; the floor (recv_trunc) is blind and
 * says so; and the shutdown benchmark stops both workloads with every
 * delivered byte accounted for and checked. Byte-exactness at the edge sizes
 * for every receive pair is test_verify_matrix's (it walks the whole table). */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "harness/cell.h"
#include "run_cmd.h"

#define CHECKPOINT_NS 500000000ull /* generous: the machine is loaded */

static const char *bin;
static char out[300];
static const char *cache_opt = "--cache-dir=/var/tmp/zcbench-tests";

#define zc(status, ...) zc_run_json(bin, out, cache_opt, status, __VA_ARGS__)

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static json_t *cell_of(json_t *doc, size_t i)
{
	return json_array_get(json_object_get(doc, "results"), i);
}

/* tcp_zerocopy_receive on both workloads with one send mode: every run's
 * mapped and copied counts add up to the size, the mapped share is within
 * [lo, hi] per mille, and the path states it. */
static void check_share(const char *mode, int lo, int hi)
{
	int st;
	json_t *doc = zc(&st, "run", "--strategy", "tcp_zerocopy_receive", "--workload", "tcp-mem,tcp-file", "--size",
			 "64M", "--reps", "2", "--warmup", "0", "--verify", "all", "--send-mode", mode, NULL);
	CHECK(st == 0);
	CHECK(json_array_size(json_object_get(doc, "results")) == 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *c = cell_of(doc, i);
		json_t *runs = json_object_get(c, "runs");
		int ok = strcmp(str(c, "status"), "ok") == 0 && json_array_size(runs) == 2 &&
			 strcmp(str(json_object_get(c, "params"), "send_mode"), mode) == 0;
		for (size_t k = 0; ok && k < 2; k++) {
			json_t *r = json_array_get(runs, k);
			json_t *s = json_object_get(r, "strategy_stats");
			json_int_t mapped = num(s, "zerocopy_mapped_bytes"), copied = num(s, "zerocopy_copied_bytes");
			/* A MSG_ZEROCOPY peer accounts for every send; loopback's
			 * kernel copies each one (SO_EE_CODE_ZEROCOPY_COPIED). */
			json_t *pz = json_object_get(r, "peer_zerocopy");
			bool zc = strcmp(mode, "zerocopy") == 0;
			ok = (zc ? pz && num(pz, "sends") > 0 && num(pz, "completions") == num(pz, "sends") &&
					      num(pz, "copied") == num(pz, "sends")
				 : !pz);
			ok = ok && json_is_true(json_object_get(r, "verified")) && mapped + copied == 64 << 20 &&
			     num(r, "bytes") == 64 << 20 && mapped * 1000 >= (json_int_t)lo * (64 << 20) &&
			     mapped * 1000 <= (json_int_t)hi * (64 << 20) && num(s, "zerocopy_getsockopt_calls") > 0;
			/* The probes (when loaded) class the mapped bytes apart
			 * and the recv'd rest as copied to user. */
			json_t *b = json_object_get(json_object_get(r, "counters"), "bytes");
			if (json_is_integer(json_object_get(b, "to_user")))
				ok = ok && num(b, "mapped_to_user") == mapped && num(b, "to_user") == copied;
		}
		ok = ok && strncmp(str(c, "path"), "TCP_ZEROCOPY_RECEIVE: ", 22) == 0 &&
		     strstr(str(c, "path"), "% mapped, ");
		if (!ok) {
			char *dump = json_dumps(c, JSON_COMPACT);
			fprintf(stderr, "send mode %s: %s\n", mode, dump ? dump : "?");
			free(dump);
			check_failures++;
		}
	}
	json_decref(doc);
}

/* The shutdown benchmark on a receive workload: ok, stopped in time, the
 * sink got exactly what the subject delivered (checked byte by byte). 2 GiB
 * cannot cross loopback in 200 ms here (about 4.3 GB/s at best); sendfile
 * spares the peer a 2 GiB send buffer. */
static void check_shutdown(const char *strategies, const char *workload)
{
	int st;
	json_t *doc = zc(&st, "run", "--strategy", strategies, "--workload", workload, "--size", "2G", "--reps", "1",
			 "--warmup", "0", "--checkpoint", "500ms", "--shutdown-after", "200ms", "--send-mode",
			 "sendfile", NULL);
	CHECK(st == 0);
	json_t *results = json_object_get(doc, "results");
	CHECK(json_array_size(results) > 0);
	for (size_t i = 0; i < json_array_size(results); i++) {
		json_t *c = json_array_get(results, i);
		json_t *run = json_array_get(json_object_get(c, "runs"), 0);
		json_t *sd = json_object_get(run, "shutdown");
		bool checkable = strcmp(str(c, "strategy"), "recv_trunc") != 0;
		int ok = strcmp(str(c, "status"), "ok") == 0 && sd &&
			 json_is_false(json_object_get(sd, "finished_before_signal")) &&
			 json_is_false(json_object_get(sd, "killed")) &&
			 num(sd, "signal_to_stop_ns") <= (json_int_t)(2 * CHECKPOINT_NS) &&
			 json_is_true(json_object_get(run, "verified")) == checkable &&
			 num(sd, "delivered_bytes") == num(run, "bytes") && num(run, "bytes") > 0 &&
			 num(run, "bytes") < (json_int_t)2 << 30;
		if (!ok) {
			char *dump = json_dumps(c, JSON_COMPACT);
			fprintf(stderr, "shutdown on %s: %s\n", workload, dump ? dump : "?");
			free(dump);
			check_failures++;
		}
	}
	json_decref(doc);
}

/* Every strategy that runs on workload, as a --strategy list. */
static void strategy_list(const char *workload, char *buf, size_t len)
{
	buf[0] = 0;
	const struct zc_workload *w = zc_workload_find(workload);
	for (size_t i = 0; i < zc_strategy_count; i++)
		if (!zc_cell_unsupported(zc_strategies[i], w))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "," : "",
				 zc_strategies[i]->name);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	bin = argv[1];
	char dir[] = "/tmp/zc-receive-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	snprintf(out, sizeof out, "%s/r.json", dir);
	int st;

	/* Measured on this machine's loopback (kernel 6.18): MSG_ZEROCOPY with
	 * the default MSS maps 93.7%; plain send() and sendfile nothing. */
	check_share("zerocopy", 900, 1000);
	check_share("send", 0, 0);
	check_share("sendfile", 0, 0);

	/* Byte-exact at the edge sizes with the pages mapped (the verify matrix
	 * runs every receive pair with the default plain sender, which maps
	 * nothing), plain and redacted (the mapping is read-only: redaction
	 * copies through the buffer). */
	const uint64_t c = zc_strategy_find("tcp_zerocopy_receive")->default_chunk;
	const uint64_t sizes[] = {1, 4095, 4097, c - 1, c + 1, 5 * 1048576 + 3};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		for (int redact = 0; redact < 2; redact++) {
			char sz[32];
			snprintf(sz, sizeof sz, "%" PRIu64, sizes[k]);
			json_t *d = zc(&st, "run", "--strategy", "tcp_zerocopy_receive", "--workload",
				       "tcp-mem,tcp-file", "--size", sz, "--reps", "2", "--warmup", "0", "--verify",
				       "all", "--send-mode", "zerocopy", "--inspect", redact ? "redact" : "none", NULL);
			CHECK(st == 0);
			for (size_t i = 0; i < 2; i++) {
				json_t *cl = cell_of(d, i);
				json_t *runs = json_object_get(cl, "runs");
				int ok = strcmp(str(cl, "status"), "ok") == 0 && json_array_size(runs) == 2;
				for (size_t j = 0; ok && j < 2; j++) {
					json_t *r = json_array_get(runs, j);
					json_t *s = json_object_get(r, "strategy_stats");
					ok = json_is_true(json_object_get(r, "verified")) &&
					     (uint64_t)num(r, "bytes") == sizes[k] &&
					     (uint64_t)(num(s, "zerocopy_mapped_bytes") +
							num(s, "zerocopy_copied_bytes")) == sizes[k];
				}
				if (!ok) {
					fprintf(stderr, "edge size %s, redact %d: %s: %s\n", sz, redact,
						str(cl, "workload"), str(cl, "reason"));
					check_failures++;
				}
			}
			json_decref(d);
		}

	/* A kernel without receive zero-copy (the test hook answers as 4.17
	 * would): a skipped cell with the errno text, never a silent fallback. */
	setenv("ZCBENCH_HIDE_TCP_ZEROCOPY_RECEIVE", "1", 1);
	json_t *doc = zc(&st, "run", "--strategy", "tcp_zerocopy_receive", "--workload", "tcp-mem", "--size", "1M",
			 "--reps", "1", NULL);
	unsetenv("ZCBENCH_HIDE_TCP_ZEROCOPY_RECEIVE");
	CHECK(st == 0);
	CHECK(strcmp(str(cell_of(doc, 0), "status"), "skipped") == 0);
	CHECK(strcmp(str(cell_of(doc, 0), "reason"), "getsockopt(TCP_ZEROCOPY_RECEIVE): Protocol not available") == 0);
	json_decref(doc);

	/* The send mode is a parameter of TCP sources only; auto resolves. */
	doc = zc(&st, "run", "--strategy", "readwrite", "--workload", "tcp-mem,tcp-proxy,file-tcp", "--size", "1M",
		 "--reps", "1", "--warmup", "0", NULL);
	CHECK(st == 0);
	CHECK(strcmp(str(json_object_get(cell_of(doc, 0), "params"), "send_mode"), "send") == 0);
	/* tcp-proxy's peer sends with sendfile as it always did, file-tcp has no
	 * sender: no key, so their params match older result files. */
	CHECK(!json_object_get(json_object_get(cell_of(doc, 1), "params"), "send_mode"));
	CHECK(!json_object_get(json_object_get(cell_of(doc, 2), "params"), "send_mode"));
	json_decref(doc);

	/* The floor: recv(MSG_TRUNC) consumes every byte (the kernel's count
	 * says so), sees none, so nothing is claimed verified and it cannot
	 * inspect. */
	doc = zc(&st, "run", "--strategy", "recv_trunc", "--workload", "tcp-mem", "--size", "5M", "--reps", "2",
		 "--warmup", "0", "--verify", "all", NULL);
	CHECK(st == 0);
	CHECK(strcmp(str(cell_of(doc, 0), "status"), "ok") == 0);
	CHECK(num(json_array_get(json_object_get(cell_of(doc, 0), "runs"), 1), "bytes") == 5 << 20);
	CHECK(json_is_false(json_object_get(json_array_get(json_object_get(cell_of(doc, 0), "runs"), 1), "verified")));
	/* MSG_TRUNC discards in the kernel: the probes (when loaded) count
	 * its receives but no byte to user. */
	json_t *ctr = json_object_get(json_array_get(json_object_get(cell_of(doc, 0), "runs"), 1), "counters");
	if (json_is_object(json_object_get(ctr, "bytes"))) {
		CHECK(num(json_object_get(ctr, "syscalls"), "recvfrom") > 0);
		CHECK(num(json_object_get(ctr, "bytes"), "to_user") == 0);
	}
	json_decref(doc);
	doc = zc(&st, "run", "--strategy", "recv_trunc", "--workload", "tcp-mem", "--size", "5M", "--reps", "1",
		 "--inspect", "checksum", NULL);
	CHECK(strcmp(str(cell_of(doc, 0), "status"), "skipped") == 0);
	json_decref(doc);

	/* Checksums from the mapping agree with the pattern's. */
	doc = zc(&st, "run", "--strategy", "tcp_zerocopy_receive,readwrite,pooled", "--workload", "tcp-mem", "--size",
		 "8M", "--reps", "1", "--warmup", "0", "--inspect", "checksum", "--send-mode", "zerocopy", NULL);
	CHECK(st == 0);
	for (size_t i = 0; i < 3; i++) {
		json_t *r = json_array_get(json_object_get(cell_of(doc, i), "runs"), 0);
		CHECK(strcmp(str(cell_of(doc, i), "status"), "ok") == 0 &&
		      json_string_value(json_object_get(r, "crc32c")));
	}
	json_decref(doc);

	/* A stall needs a draining peer; the receive workloads have none. */
	struct cmd_result *cr = malloc(sizeof *cr);
	char *bad[] = {(char *)bin, "run",	    "--workload", "tcp-mem", "--strategy",
		       "readwrite", "--stall-peer", "1M",	  NULL};
	CHECK(cr && run_cmd(bad, cr) == 0 && cr->status == 2 &&
	      strstr(cr->err, "--stall-peer needs a peer that drains"));
	char *bad_mode[] = {(char *)bin, "run", "--workload", "tcp-mem", "--send-mode", "carrier-pigeon", NULL};
	CHECK(cr && run_cmd(bad_mode, cr) == 0 && cr->status == 2 && strstr(cr->err, "--send-mode"));
	free(cr);

	/* Lifecycle: every strategy on both receive workloads stops in time
	 * with its sink holding exactly what it delivered. */
	char list[1024];
	strategy_list("tcp-file", list, sizeof list);
	check_shutdown(list, "tcp-file");
	strategy_list("tcp-mem", list, sizeof list);
	check_shutdown(list, "tcp-mem");

	char rm[400];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	CHECK(system(rm) == 0);
	CHECK_DONE();
}
