#include "result_json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "safe_file.h"
#include "stats.h"
#include "window_split.h"
#include "../workloads/tls_record.h"

#define GIB 1073741824.0

static const char *const status_names[] = {"ok", "skipped", "failed", "interrupted", "not run"};

static json_t *summary_object(const struct zc_summary *s)
{
	return json_pack("{s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f}", "median", s->median, "mean", s->mean, "stddev", s->stddev,
			 "min", s->min, "max", s->max, "ci95_low", s->ci_low, "ci95_high", s->ci_high, "ci_level",
			 s->ci_level);
}

static json_t *int_or_null(bool have, uint64_t v)
{
	return have ? json_integer((json_int_t)v) : json_null();
}

/* outlier: 1 or 0, or -1 when the run has no throughput to judge (a warm-up,
 * no window, or no byte moved). */
static json_t *run_json(const struct zc_run *r, size_t index, int outlier, const char *const *stat_names,
			unsigned streams)
{
	json_t *j = json_pack("{s:I,s:b,s:b,s:I}", "index", (json_int_t)index, "warmup", r->warmup, "verified",
			      r->verified, "bytes", (json_int_t)r->bytes);
	json_object_set_new(j, "round", json_integer(r->round));
	/* A subject killed before it could report has no window figures. */
	bool m = r->measured;
	json_object_set_new(j, "elapsed_ns", int_or_null(m, r->w.elapsed_ns));
	json_object_set_new(j, "user_ns", int_or_null(m, r->w.user_ns));
	json_object_set_new(j, "sys_ns", int_or_null(m, r->w.sys_ns));
	json_object_set_new(j, "voluntary_ctxt_switches", int_or_null(m, (uint64_t)r->w.nvcsw));
	json_object_set_new(j, "involuntary_ctxt_switches", int_or_null(m, (uint64_t)r->w.nivcsw));
	json_object_set_new(j, "minor_faults", int_or_null(m, (uint64_t)r->w.minflt));
	json_object_set_new(j, "major_faults", int_or_null(m, (uint64_t)r->w.majflt));
	if (r->shutdown) {
		bool signalled = !r->finished_before_signal;
		json_t *sd = json_pack("{s:b,s:b}", "finished_before_signal", r->finished_before_signal, "killed",
				       r->killed);
		json_object_set_new(sd, "signal_to_stop_ns", int_or_null(m && signalled, r->w.stop_to_return_ns));
		json_object_set_new(sd, "signal_to_exit_ns", int_or_null(signalled, r->signal_to_exit_ns));
		json_object_set_new(sd, "in_flight_bytes_at_signal",
				    int_or_null(m && signalled, r->w.in_flight_at_stop));
		json_object_set_new(sd, "delivered_bytes_at_signal", int_or_null(m && signalled, r->w.moved_at_stop));
		json_object_set_new(sd, "drained_after_signal_bytes",
				    int_or_null(m && signalled, r->bytes - r->w.moved_at_stop));
		json_object_set_new(sd, "delivered_bytes", json_integer((json_int_t)r->bytes));
		json_object_set_new(sd, "stranded_bytes", int_or_null(m, r->w.stranded));
		json_object_set_new(j, "shutdown", sd);
	}
	json_object_set_new(j, "outlier", outlier < 0 ? json_null() : json_boolean(outlier));
	json_object_set_new(j, "peer_user_ns",
			    r->have_peer_usage ? json_integer((json_int_t)r->peer_user_ns) : json_null());
	json_object_set_new(j, "peer_sys_ns",
			    r->have_peer_usage ? json_integer((json_int_t)r->peer_sys_ns) : json_null());
	if (r->have_peer_zc)
		json_object_set_new(j, "peer_zerocopy",
				    json_pack("{s:I,s:I,s:I}", "sends", (json_int_t)r->peer_zc_sends, "completions",
					      (json_int_t)r->peer_zc_completions, "copied",
					      (json_int_t)r->peer_zc_copied));
	/* A TLS stream: bytes is payload; the wire carried the records. */
	if (r->have_wire)
		json_object_set_new(j, "wire_bytes", json_integer((json_int_t)r->wire_bytes));
	if (r->udp) {
		/* Loss, never hidden: what was sent against what arrived. Into
		 * the blackhole nothing is received, by design: null. */
		bool rx = !r->udp_blackhole;
		json_t *u = json_pack("{s:I,s:I}", "sent_datagrams", (json_int_t)r->udp_sent_datagrams, "sent_bytes",
				      (json_int_t)r->udp_sent_bytes);
		json_object_set_new(u, "received_datagrams", int_or_null(rx, r->udp_recv_datagrams));
		json_object_set_new(u, "received_bytes", int_or_null(rx, r->udp_recv_bytes));
		json_object_set_new(u, "lost_datagrams",
				    int_or_null(rx, r->udp_sent_datagrams - r->udp_recv_datagrams));
		json_object_set_new(u, "lost_bytes", int_or_null(rx, r->udp_sent_bytes - r->udp_recv_bytes));
		json_object_set_new(u, "rcvbuf_bytes", int_or_null(rx, (uint64_t)r->udp_rcvbuf));
		json_object_set_new(u, "socket_drops", int_or_null(rx && r->have_udp_drops, r->udp_socket_drops));
		json_object_set_new(j, "udp", u);
	}
	json_object_set_new(j, "source_cached_bytes",
			    r->source_cached_bytes >= 0 ? json_integer(r->source_cached_bytes) : json_null());
	if (stat_names) {
		json_t *st = json_object();
		for (unsigned i = 0; i < ZC_MAX_STATS && stat_names[i]; i++)
			json_object_set_new(st, stat_names[i], json_integer((json_int_t)r->w.stats[i]));
		json_object_set_new(j, "strategy_stats", st);
	}
	if (r->checksummed) {
		char hex[16];
		snprintf(hex, sizeof hex, "%08x", r->crc);
		json_object_set_new(j, "crc32c", json_string(hex));
	}
	if (m && r->w.victim_every)
		json_object_set_new(j, "victim", zc_victim_json(&r->w));
	json_object_set_new(j, "cpu", m ? zc_cpu_split_json(&r->w, r->counters) : json_null());
	if (m && (r->w.zc_sent_copied || r->w.zc_sent_pinned))
		json_object_set_new(j, "zerocopy_sends",
				    json_pack("{s:I,s:I}", "copied_bytes", (json_int_t)r->w.zc_sent_copied,
					      "pinned_bytes", (json_int_t)r->w.zc_sent_pinned));
	if (m)
		json_object_set_new(j, "placement", zc_placement_json(&r->w, streams));
	if (r->counters)
		json_object_set(j, "counters", r->counters);
	return j;
}

json_t *zc_cell_params_json(const struct zc_cell *c)
{
	const struct zc_cell_params *p = &c->p;
	unsigned uses = p->strategy->uses;
	json_t *j = json_pack("{s:I,s:I,s:I}", "size_bytes", (json_int_t)p->size, "chunk_bytes", (json_int_t)c->chunk,
			      "transfers", (json_int_t)p->transfers);
	json_object_set_new(j, "alloc",
			    uses & ZC_USES_ALLOC ? json_string(p->alloc == ZC_ALLOC_FRESH ? "fresh" : "malloc")
						 : json_null());
	json_object_set_new(j, "pipe_size_bytes",
			    uses & ZC_USES_PIPE ? json_integer((json_int_t)p->pipe_size) : json_null());
	json_object_set_new(j, "dest",
			    p->workload->sink == ZC_EP_FILE ? json_string(p->dest_fresh ? "fresh" : "overwrite")
							    : json_null());
	json_object_set_new(j, "drain",
			    p->workload->sink != ZC_EP_FILE ? json_string(zc_drain_names[p->drain]) : json_null());
	/* Only where a cell's peer sends some other way than sendfile, which it
	 * always did before --send-mode: other cells' params stay equal to
	 * those of older result files, so compare still matches them. */
	bool receive = p->workload->sink == ZC_EP_FILE || p->workload->sink == ZC_EP_MEM;
	if (p->send_mode != ZC_SEND_AUTO && (receive || p->send_mode != ZC_SEND_SENDFILE))
		json_object_set_new(j, "send_mode", json_string(zc_send_mode_names[p->send_mode]));
	json_object_set_new(j, "streams", json_integer(p->streams));
	/* Only on remote cells: a loopback cell's params stay those of older
	 * files, and compare never pairs a remote cell with a loopback one. */
	if (p->remote)
		json_object_set_new(j, "network", json_string("remote"));
	/* Off loopback on this host: the path (--netns, --sink blackhole) and
	 * the veth MTU; absent on loopback, as above. */
	if (p->net_path != ZC_NET_LOOPBACK) {
		json_object_set_new(j, "network", json_string(zc_net_path_names[p->net_path]));
		json_object_set_new(j, "mtu", p->mtu ? json_integer(p->mtu) : json_null());
	}
	if (p->workload->sink == ZC_EP_UDP)
		json_object_set_new(j, "udp",
				    json_pack("{s:I,s:I,s:b}", "datagram_bytes", (json_int_t)ZC_UDP_DATAGRAM,
					      "rcvbuf_asked_bytes", (json_int_t)p->udp_rcvbuf, "gro", p->udp_gro));
	static const char *const inspect_names[] = {"none", "checksum", "redact", "encrypt"};
	json_object_set_new(j, "inspect", json_string(inspect_names[p->inspect]));
	/* Only when on: other cells' params stay equal to older files'. */
	if (p->ktls)
		json_object_set_new(j, "ktls", json_true());
	json_object_set_new(j, "cache",
			    p->workload->source == ZC_EP_FILE ? json_string(p->cache_cold ? "cold" : "hot")
							      : json_null());
	json_object_set_new(j, "qd", uses & ZC_USES_QD ? json_integer(p->qd) : json_null());
	json_object_set_new(j, "iovecs", uses & ZC_USES_IOVECS ? json_integer(p->iovecs) : json_null());
	json_object_set_new(j, "populate", uses & ZC_USES_MMAP ? json_boolean(p->populate) : json_null());
	json_object_set_new(j, "victim_bytes",
			    p->victim_bytes ? json_integer((json_int_t)p->victim_bytes) : json_null());
	json_object_set_new(j, "madvise",
			    uses & ZC_USES_MMAP ? json_string(p->madv_sequential ? "sequential" : "normal")
						: json_null());
	return j;
}

/* Per-GiB medians of a per-run quantity over the runs that moved bytes, or
 * -1 when none did. */
static double median_per_gib(const struct zc_cell *c, size_t off)
{
	double v[c->nruns ? c->nruns : 1];
	size_t n = 0;
	for (size_t i = 0; i < c->nruns; i++) {
		const struct zc_run *r = &c->runs[i];
		if (r->warmup || !r->measured || r->bytes == 0)
			continue;
		uint64_t x = *(const uint64_t *)((const char *)r + off);
		v[n++] = (double)x * GIB / (double)r->bytes;
	}
	return n ? zc_median(v, n) : -1;
}

/* Median and max of a per-run figure over the signalled shutdown runs. */
static json_t *median_max(const struct zc_cell *c, size_t off, bool need_measured)
{
	double v[c->nruns ? c->nruns : 1];
	size_t n = 0;
	for (size_t i = 0; i < c->nruns; i++) {
		const struct zc_run *r = &c->runs[i];
		if (r->warmup || !r->shutdown || r->finished_before_signal || (need_measured && !r->measured))
			continue;
		v[n++] = (double)*(const uint64_t *)((const char *)r + off);
	}
	if (n == 0)
		return json_null();
	double max = v[0];
	for (size_t i = 1; i < n; i++)
		max = v[i] > max ? v[i] : max;
	return json_pack("{s:f,s:f}", "median", zc_median(v, n), "max", max);
}

/* The cache-pollution probe's medians over the measured runs, or NULL when
 * it was off. */
static json_t *victim_summary(const struct zc_cell *c)
{
	double walk[c->nruns ? c->nruns : 1], base[c->nruns ? c->nruns : 1], ratio[c->nruns ? c->nruns : 1];
	size_t n = 0;
	uint64_t excluded = 0, walks = 0, lines = 0;
	for (size_t i = 0; i < c->nruns; i++) {
		const struct zc_run *r = &c->runs[i];
		if (r->warmup || !r->measured || !r->w.victim_kept)
			continue;
		walk[n] = r->w.victim_median_ns;
		base[n] = r->w.victim_base_median_ns;
		ratio[n++] = r->w.victim_median_ns / r->w.victim_base_median_ns;
		excluded += r->w.victim_excluded;
		walks += r->w.victim_walks;
		lines = r->w.victim_lines;
	}
	if (n == 0)
		return NULL;
	double l = lines ? (double)lines : 1;
	return json_pack("{s:f,s:f,s:f,s:I,s:I,s:s}", "ns_per_line", zc_median(walk, n) / l, "baseline_ns_per_line",
			 zc_median(base, n) / l, "ratio", zc_median(ratio, n), "walks", (json_int_t)walks,
			 "excluded_interrupted", (json_int_t)excluded, "mode",
			 "opt-in (--victim): the walks run inside the window, so this cell's throughput includes them");
}

/* The shutdown benchmark's figures for a cell, or NULL when it did not run. */
static json_t *shutdown_summary(const struct zc_cell *c)
{
	size_t runs = 0, killed = 0, early = 0;
	for (size_t i = 0; i < c->nruns; i++) {
		const struct zc_run *r = &c->runs[i];
		if (r->warmup || !r->shutdown)
			continue;
		runs++;
		killed += r->killed;
		early += r->finished_before_signal;
	}
	if (runs == 0)
		return NULL;
	json_t *j = json_pack("{s:I,s:I,s:I}", "runs", (json_int_t)runs, "killed_runs", (json_int_t)killed,
			      "finished_before_signal_runs", (json_int_t)early);
	json_object_set_new(j, "signal_to_stop_ns", median_max(c, offsetof(struct zc_run, w.stop_to_return_ns), true));
	json_object_set_new(j, "signal_to_exit_ns", median_max(c, offsetof(struct zc_run, signal_to_exit_ns), false));
	json_object_set_new(j, "in_flight_bytes_at_signal",
			    median_max(c, offsetof(struct zc_run, w.in_flight_at_stop), true));
	json_object_set_new(j, "stranded_bytes", median_max(c, offsetof(struct zc_run, w.stranded), true));
	return j;
}

/* What encrypted a TLS cell's stream, and what the records cost on the wire
 * over its measured runs (wire bytes per payload byte, and their sums). */
static json_t *tls_json(const struct zc_cell *c)
{
	bool kernel = c->p.ktls;
	json_t *j =
		json_pack("{s:s,s:s,s:s,s:s,s:i,s:s}", "mode", kernel ? "kernel" : "user-space", "protocol",
			  "TLS 1.3 records, no handshake (fixed test key and IV)", "cipher", "AES-128-GCM", "encrypter",
			  kernel ? "kernel TLS (TCP_ULP \"tls\", TLS_TX)" : "OpenSSL libcrypto (EVP) in the subject",
			  "record_overhead_bytes", ZC_TLS_OVERHEAD, "peer_decrypts",
			  "in user space (libcrypto), every record when the run is verified; otherwise the "
			  "payload is counted from the record headers");
	uint64_t wire = 0, payload = 0;
	int zc_ro = -1;
	for (size_t i = 0; i < c->nruns; i++) {
		const struct zc_run *r = &c->runs[i];
		if (!r->have_wire)
			continue;
		wire += r->wire_bytes;
		payload += r->bytes;
		if (r->measured)
			zc_ro = r->ktls_zerocopy_ro;
	}
	json_object_set_new(j, "wire_bytes", json_integer((json_int_t)wire));
	json_object_set_new(j, "payload_bytes", json_integer((json_int_t)payload));
	json_object_set_new(j, "wire_per_payload", payload ? json_real((double)wire / (double)payload) : json_null());
	/* Accepted by the kernel; it changes the path only with TLS device
	 * offload (Documentation/networking/tls.rst). */
	json_object_set_new(j, "tx_zerocopy_ro", kernel && zc_ro >= 0 ? json_boolean(zc_ro) : json_null());
	return j;
}

json_t *zc_cell_json(const struct zc_cell *c)
{
	json_t *j = json_pack("{s:s,s:s,s:b,s:o}", "strategy", c->p.strategy->name, "workload", c->p.workload->name,
			      "sees_data", c->p.strategy->sees_data, "params", zc_cell_params_json(c));
	if (c->p.net_path != ZC_NET_LOOPBACK || c->p.remote) { /* the report's row: never one with loopback's */
		char label[96];
		zc_workload_label(&c->p, label, sizeof label);
		json_object_set_new(j, "workload_label", json_string(label));
	}
	json_object_set_new(j, "status", json_string(status_names[c->status]));
	/* The network the streams crossed: none, loopback, a veth pair or the
	 * blackhole on this host (--netns, --sink blackhole), or to a peer on
	 * another host (--peer). */
	bool net = (c->p.workload->source | c->p.workload->sink) & (ZC_EP_TCP | ZC_EP_UDP);
	json_object_set_new(j, "network",
			    c->p.remote			       ? json_string("remote")
			    : c->p.net_path != ZC_NET_LOOPBACK ? json_string(zc_net_path_names[c->p.net_path])
			    : net			       ? json_string("loopback")
							       : json_null());
	json_object_set_new(j, "reason", c->status == ZC_OK ? json_null() : json_string(c->reason));
	json_object_set_new(j, "path", c->path[0] ? json_string(c->path) : json_null());
	if (c->p.ktls || c->p.inspect == ZC_INSPECT_ENCRYPT)
		json_object_set_new(j, "tls", tls_json(c));

	/* Throughput only where bytes moved in a timed window: a run that moved
	 * nothing has no rate (null), never 0. */
	size_t n = 0, nmeasured = 0;
	double tput[c->nruns ? c->nruns : 1];
	size_t measured_idx[c->nruns ? c->nruns : 1];
	for (size_t i = 0; i < c->nruns; i++) {
		const struct zc_run *r = &c->runs[i];
		if (r->warmup || !r->measured)
			continue;
		nmeasured++;
		if (r->bytes == 0 || r->w.elapsed_ns == 0)
			continue;
		measured_idx[n] = i;
		tput[n++] = (double)r->bytes * 1e9 / (double)r->w.elapsed_ns;
	}
	bool outlier[n ? n : 1];
	size_t noutliers = n ? zc_outliers(tput, n, outlier) : 0;

	json_t *runs = json_array();
	for (size_t i = 0, m = 0; i < c->nruns; i++) {
		int out = -1;
		if (m < n && measured_idx[m] == i)
			out = outlier[m++];
		json_array_append_new(runs, run_json(&c->runs[i], i, out, c->p.strategy->stat_names, c->p.streams));
	}
	json_object_set_new(j, "runs", runs);

	json_t *shutdown = shutdown_summary(c);
	if (nmeasured == 0) {
		json_object_set_new(j, "summary",
				    shutdown ? json_pack("{s:I,s:n,s:o}", "runs", (json_int_t)0, "throughput_bps",
							 "shutdown", shutdown)
					     : json_null());
		return j;
	}
	json_t *sum = json_pack("{s:I}", "runs", (json_int_t)nmeasured);
	if (n) {
		struct zc_summary s;
		zc_summarize(tput, n, &s);
		json_object_set_new(sum, "throughput_bps", summary_object(&s));
		json_object_set_new(sum, "outliers", json_integer((json_int_t)noutliers));
	} else {
		json_object_set_new(sum, "throughput_bps", json_null());
		json_object_set_new(sum, "outliers", json_null());
	}
	if (shutdown)
		json_object_set_new(sum, "shutdown", shutdown);
	json_t *victim = victim_summary(c);
	if (victim)
		json_object_set_new(sum, "victim", victim);
	double user = median_per_gib(c, offsetof(struct zc_run, w.user_ns));
	double sys = median_per_gib(c, offsetof(struct zc_run, w.sys_ns));
	json_object_set_new(sum, "cpu_ns_per_gib",
			    user < 0 ? json_null() : json_pack("{s:f,s:f}", "user", user, "sys", sys));
	zc_probes_summarize(runs, sum);
	json_object_set_new(sum, "cpu_split_per_gib", zc_cpu_split_summary(runs));
	json_object_set_new(j, "summary", sum);
	return j;
}

json_t *zc_result_doc(int argc, char **argv, const char *started_at, struct zc_probes *probes)
{
	json_t *cmd = json_array();
	for (int i = 0; i < argc; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	return json_pack("{s:s,s:{s:s,s:s},s:o,s:s,s:o,s:b,s:o,s:[]}", "schema", ZC_SCHEMA, "tool", "name", "zcbench",
			 "version", ZC_VERSION, "host", zc_host_json(), "started_at", started_at, "command", cmd,
			 "interrupted", 0, "probes", zc_probes_status_json(probes), "results");
}

void zc_json_tmp_cleanup(void)
{
	zc_tmp_cleanup();
}

int zc_check_writable(const char *path, char *err, size_t err_len)
{
	if (strcmp(path, "-") == 0)
		return 0;
	return zc_out_check(path, err, err_len);
}

int zc_write_json_atomic(const json_t *doc, const char *path, char *err, size_t err_len)
{
	const size_t flags = JSON_INDENT(2) | JSON_REAL_PRECISION(17);
	if (strcmp(path, "-") == 0) {
		if (json_dumpf(doc, stdout, flags) != 0 || fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
			snprintf(err, err_len, "cannot write to standard output: %s", strerror(errno));
			/* Told here, through err: drop what cannot be written, so the
			 * check at exit does not tell it again. */
			__fpurge(stdout);
			clearerr(stdout);
			return -1;
		}
		return 0;
	}
	char *text = json_dumps(doc, flags);
	if (!text) {
		snprintf(err, err_len, "cannot write %s: out of memory", path);
		return -1;
	}
	size_t len = strlen(text);
	char *whole = realloc(text, len + 2);
	if (!whole) {
		free(text);
		snprintf(err, err_len, "cannot write %s: out of memory", path);
		return -1;
	}
	whole[len] = '\n';
	whole[len + 1] = 0;
	int rc = zc_out_write(path, whole, len + 1, err, err_len);
	free(whole);
	return rc;
}
