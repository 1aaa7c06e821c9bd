#include "cells.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

#define MAX_ITEMS 64

static void all_names(bool strategies, char *buf, size_t len)
{
	buf[0] = 0;
	size_t n = strategies ? zc_strategy_count : zc_workload_count;
	for (size_t i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "",
			 strategies ? zc_strategies[i]->name : zc_workloads[i]->name);
}

/* Resolve a list of names ("all" for every one). */
static size_t resolve(bool strategies, const char *list, const void **out)
{
	size_t total = strategies ? zc_strategy_count : zc_workload_count;
	if (strcmp(list, "all") == 0) {
		for (size_t i = 0; i < total; i++)
			out[i] = strategies ? (const void *)zc_strategies[i] : (const void *)zc_workloads[i];
		return total;
	}
	char *items[MAX_ITEMS], *storage;
	size_t n = zc_split_list(strategies ? "--strategy" : "--workload", list, items, MAX_ITEMS, &storage);
	for (size_t i = 0; i < n; i++) {
		out[i] = strategies ? (const void *)zc_strategy_find(items[i])
				    : (const void *)zc_workload_find(items[i]);
		if (!out[i]) {
			char names[1024];
			all_names(strategies, names, sizeof names);
			zc_usage_error("unknown %s '%s' (valid: %s, all)", strategies ? "strategy" : "workload",
				       items[i], names);
		}
	}
	free(storage);
	return n;
}

static size_t sizes_list(const char *opt, const char *list, uint64_t *out, uint64_t min, uint64_t max)
{
	char *items[MAX_ITEMS], *storage;
	size_t n = zc_split_list(opt, list, items, MAX_ITEMS, &storage);
	for (size_t i = 0; i < n; i++) {
		out[i] = zc_size_arg(opt, items[i]);
		if (out[i] < min && max == UINT64_MAX)
			zc_usage_error("%s '%s' must be at least %" PRIu64 " byte%s", opt, items[i], min,
				       min == 1 ? "" : "s");
		if (out[i] < min || out[i] > max)
			zc_usage_error("%s '%s' must be between %" PRIu64 " and %" PRIu64 " bytes", opt, items[i], min,
				       max);
	}
	free(storage);
	return n;
}

static size_t counts_list(const char *opt, const char *list, uint64_t *out, uint64_t min, uint64_t max)
{
	char *items[MAX_ITEMS], *storage;
	size_t n = zc_split_list(opt, list, items, MAX_ITEMS, &storage);
	for (size_t i = 0; i < n; i++)
		out[i] = zc_count_arg(opt, items[i], min, max);
	free(storage);
	return n;
}

static void supported_by(const struct zc_strategy *s, char *buf, size_t len)
{
	buf[0] = 0;
	for (size_t i = 0; i < zc_workload_count; i++)
		if (!zc_cell_unsupported(s, zc_workloads[i]))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? ", " : "",
				 zc_workloads[i]->name);
}

/* Why a cell cannot carry TLS as asked (--inspect encrypt, --ktls), or NULL. */
static const char *tls_unsupported(enum zc_inspect inspect, bool ktls, bool remote, const struct zc_strategy *s,
				   const struct zc_workload *w)
{
	if (remote && (inspect == ZC_INSPECT_ENCRYPT || ktls))
		return "TLS records: the remote peer (--peer) does not decode them yet; a local peer does";
	if (inspect == ZC_INSPECT_ENCRYPT && !(w->sink & (ZC_EP_TCP | ZC_EP_UNIX | ZC_EP_PIPE)))
		return "encrypt: the records go to a stream sink whose peer decrypts them; a file or "
		       "memory sink has none";
	if (inspect == ZC_INSPECT_ENCRYPT && s->sees_data && !s->encrypts)
		return "encrypt: not implemented for this strategy (the pipe and the socket keep referencing "
		       "its pages after the call: each would need a sealed copy of its own)";
	if (ktls && w->sink != ZC_EP_TCP)
		return "--ktls: kernel TLS runs on TCP sockets; this workload's sink is not one";
	return NULL;
}

const struct zc_price_variant zc_price_variants[ZC_PRICE_VARIANTS] = {
	{"blind", "sendfile", ZC_INSPECT_NONE, false},
	{"blind + kTLS", "sendfile", ZC_INSPECT_NONE, true},
	{"sees: AES-128-GCM", "readwrite", ZC_INSPECT_ENCRYPT, false},
	{"sees: CRC32C", "readwrite", ZC_INSPECT_CHECKSUM, false},
	{"sees: redaction", "readwrite", ZC_INSPECT_REDACT, false},
};

size_t zc_cells_build(const struct zc_cell_opts *o, struct zc_cell **cells)
{
	if (o->ktls && o->inspect == ZC_INSPECT_ENCRYPT)
		zc_usage_error("--ktls and --inspect encrypt both encrypt the stream: choose one");
	const void *strategies[MAX_ITEMS + 32], *workloads[MAX_ITEMS + 32];
	size_t ns;
	if (o->price_of_control) {
		/* The variants replace the strategy list, --inspect and --ktls. */
		ns = ZC_PRICE_VARIANTS;
		for (size_t i = 0; i < ns; i++)
			strategies[i] = zc_strategy_find(zc_price_variants[i].strategy);
	} else {
		ns = resolve(true, o->strategies, strategies);
	}
	size_t nw = resolve(false, o->workloads, workloads);
	uint64_t sizes[MAX_ITEMS], chunks[MAX_ITEMS] = {0}, streams[MAX_ITEMS];
	size_t nsz = sizes_list("--size", o->sizes, sizes, 1, UINT64_MAX); /* 0 bytes measures nothing */
	size_t nch = o->chunks ? sizes_list("--chunk", o->chunks, chunks, 1, 1ull << 30) : 1;
	size_t nst = counts_list("--streams", o->streams, streams, 1, ZC_MAX_STREAMS);
	bool single_pair = ns == 1 && nw == 1;

	size_t cap = ns * nw * nsz * nch * nst, n = 0;
	struct zc_cell *c = calloc(cap ? cap : 1, sizeof *c);
	if (!c)
		zc_usage_error("out of memory");
	for (size_t wi = 0; wi < nw; wi++) {
		const struct zc_workload *w = workloads[wi];
		/* Only a TCP stream reaches another host: "all" leaves the rest
		 * out, a named one is a mistake. */
		bool networked = (w->source == ZC_EP_TCP || w->sink == ZC_EP_TCP) &&
				 !((w->source | w->sink) & (ZC_EP_UNIX | ZC_EP_PIPE));
		if (o->remote && !networked && strcmp(o->workloads, "all") == 0)
			continue;
		if (o->quick && w->full_profile_only && strcmp(o->workloads, "all") == 0)
			continue;
		/* The trade is priced against blind sendfile, which needs a file
		 * source: without it every ratio would be missing. */
		const char *no_blind = o->price_of_control ? zc_cell_unsupported(strategies[0], w) : NULL;
		if (no_blind && strcmp(o->workloads, "all") == 0)
			continue;
		if (no_blind)
			zc_usage_error(
				"--price-of-control: workload '%s' has no blind row (sendfile: %s); use file-tcp",
				w->name, no_blind);
		if (o->remote && !networked)
			zc_usage_error("--peer: workload '%s' has no TCP stream to send to another host", w->name);
		enum zc_drain drain;
		const char *why = zc_drain_resolve(w, o->drain, &drain);
		if (why)
			zc_usage_error("--drain %s does not work for workload '%s': %s", zc_drain_names[o->drain],
				       w->name, why);
		bool stream_source = w->source != ZC_EP_FILE && w->source != ZC_EP_MEM;
		/* A file fed from a socket can be stopped: the file then holds a
		 * verified prefix (tcp-file). Only a drain peer can stall. */
		bool stoppable_file = w->sink == ZC_EP_FILE && w->source == ZC_EP_TCP;
		if ((o->shutdown_after_ns && w->sink == ZC_EP_FILE && !stoppable_file) ||
		    (o->stall_after != UINT64_MAX && w->sink == ZC_EP_FILE))
			zc_usage_error(
				"--shutdown-after and --stall-peer need a stream sink; workload '%s' writes a file",
				w->name);
		if (o->stall_after != UINT64_MAX && w->sink == ZC_EP_MEM)
			zc_usage_error("--stall-peer needs a peer that drains; workload '%s' consumes in memory",
				       w->name);
		bool net_path = w->source & (ZC_EP_TCP | ZC_EP_UDP) || w->sink & (ZC_EP_TCP | ZC_EP_UDP);
		if (o->net_path == ZC_NET_BLACKHOLE && w->sink != ZC_EP_UDP) {
			if (nw == 1)
				zc_usage_error(
					"--sink blackhole takes UDP workloads (mem-udp, file-udp); '%s' is not one",
					w->name);
			continue; /* lists and "all": the UDP workloads */
		}
		if (stream_source && o->transfers > 1)
			zc_usage_error("--transfers %" PRIu64 " does not work for workload '%s': a stream source ends "
				       "once (valid for file and memory sources)",
				       o->transfers, w->name);
		for (size_t si = 0; si < ns; si++) {
			const struct zc_strategy *s = strategies[si];
			const char *unsupported = zc_cell_unsupported(s, w);
			if (unsupported && single_pair) {
				char ok[1024];
				supported_by(s, ok, sizeof ok);
				zc_usage_error("strategy '%s' does not support workload '%s': %s (it supports: %s)",
					       s->name, w->name, unsupported, ok);
			}
			if (unsupported)
				continue; /* lists and "all" take the supported pairs */
			for (size_t zi = 0; zi < nsz; zi++)
				for (size_t ki = 0; ki < nst; ki++) {
					enum zc_inspect inspect =
						o->price_of_control ? zc_price_variants[si].inspect : o->inspect;
					bool ktls = o->price_of_control ? zc_price_variants[si].ktls : o->ktls;
					uint64_t parts = streams[ki] * o->transfers;
					if (sizes[zi] % parts != 0)
						zc_usage_error("--size %" PRIu64
							       " is not a multiple of --streams %" PRIu64
							       " x --transfers %" PRIu64,
							       sizes[zi], streams[ki], o->transfers);
					for (size_t ci = 0; ci < nch; ci++) {
						struct zc_cell *cell = &c[n];
						cell->p = (struct zc_cell_params){
							.strategy = s,
							.workload = w,
							.size = sizes[zi],
							.streams = (unsigned)streams[ki],
							.transfers = o->transfers,
							.chunk = chunks[ci],
							.pipe_size = o->pipe_size,
							.qd = o->qd,
							.iovecs = o->iovecs,
							.populate = o->populate,
							.madv_sequential = o->madv_sequential,
							.alloc = o->alloc,
							.inspect = inspect,
							.dest_fresh = o->dest_fresh,
							.cache_cold = o->cache_cold,
							.drain = drain,
							.send_mode = zc_send_mode_resolve(w, o->send_mode),
							.checkpoint_ms = (unsigned)(o->checkpoint_ns / 1000000),
							.deadlines = !o->no_deadlines,
							.shutdown_after_ns = o->shutdown_after_ns,
							.stall_after = o->stall_after,
							.kill_after_ns = o->kill_after_ns,
							.victim_bytes = (size_t)o->victim_bytes,
							.victim_every = o->victim_every,
							.remote = o->remote,
							.ktls = ktls,
							.udp_rcvbuf = o->udp_rcvbuf,
							.udp_gro = !o->udp_no_gro,
							.net_path = net_path ? o->net_path : ZC_NET_LOOPBACK,
							.mtu = net_path && o->net_path == ZC_NET_VETH ? o->mtu : 0,
						};
						cell->chunk = chunks[ci] ? chunks[ci] : s->default_chunk;
						const char *tls = tls_unsupported(inspect, ktls, o->remote, s, w);
						if (inspect != ZC_INSPECT_NONE && !s->sees_data) {
							cell->status = ZC_SKIPPED;
							snprintf(cell->reason, sizeof cell->reason,
								 "blind strategy cannot inspect");
						} else if (tls) {
							cell->status = ZC_SKIPPED;
							snprintf(cell->reason, sizeof cell->reason, "%s", tls);
						}
						/* The pattern file: zc_cells_prepare_sources,
						 * once the sizes are known to fit. */
						if (w->sink == ZC_EP_FILE)
							snprintf(cell->dest_base, sizeof cell->dest_base,
								 "%s/dest-%d-%zu",
								 o->dest_dir ? o->dest_dir : o->cache_dir,
								 (int)getpid(), n);
						n++;
					}
				}
		}
	}
	if (n == 0)
		zc_usage_error("no strategy in '%s' supports a workload in '%s'", o->strategies, o->workloads);
	*cells = c;
	return n;
}
