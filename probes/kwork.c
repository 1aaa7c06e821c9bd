/* Kernel-side work of the subject (kwork.bpf.c), loaded beside zc.bpf.c:
 * every program is a raw_tp attached by name, so a kernel lacking one
 * tracepoint loses that event only (listed as missing), not the others. The
 * window is a store to the mmapped kw_enabled, as for zc.bpf.c. */
#include "kwork.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kwork_bpf_shared.h"

#ifdef ZC_HAVE_BPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "kwork.skel.h"

/* JSON names of the events, in KW_* order. */
static const char *const event_names[KW_NEVENTS] = {
	[KW_PAGE_ALLOC] = "pages_allocated",
	[KW_SLAB_ALLOC] = "slab_allocations",
	[KW_PAGE_CACHE_ADD] = "page_cache_adds",
	[KW_PAGE_FAULT_USER] = "user_page_faults",
	[KW_SOFTIRQ] = "softirqs",
	[KW_SOFTIRQ_NET_RX] = "net_rx_softirqs",
	[KW_SKB_XMIT] = "packets_sent",
	[KW_SKB_RECEIVE] = "packets_received",
	[KW_SKB_COPY_TO_USER] = "skb_copies_to_user",
	[KW_SKB_FREE] = "skbs_freed",
	[KW_TCP_SEND_CALLS] = "tcp_send_calls",
};

struct zc_kwork {
	struct kwork_bpf *skel;
	int ncpus;
	struct kwork_cpu *cpus;
	bool has[KW_NEVENTS]; /* an event counts when all its tracepoints attached */
	struct bpf_link *links[14];
	json_t *attached, *missing;
};

/* Each program, the tracepoint it attaches to, and the event it feeds. */
struct prog_def {
	const char *tracepoint;
	int event;
	bool optional; /* absent on some kernels by design: its absence loses nothing */
};
static const struct prog_def prog_defs[] = {
	{"kmem:mm_page_alloc", KW_PAGE_ALLOC, false},
	{"kmem:kmalloc", KW_SLAB_ALLOC, false},
	{"kmem:kmem_cache_alloc", KW_SLAB_ALLOC, false},
	{"kmem:kmalloc_node", KW_SLAB_ALLOC, true},	     /* before 6.1 */
	{"kmem:kmem_cache_alloc_node", KW_SLAB_ALLOC, true}, /* before 6.1 */
	{"filemap:mm_filemap_add_to_page_cache", KW_PAGE_CACHE_ADD, false},
	{"exceptions:page_fault_user", KW_PAGE_FAULT_USER, false},
	{"irq:softirq_entry", KW_SOFTIRQ, false},
	{"net:net_dev_xmit", KW_SKB_XMIT, false},
	{"net:netif_receive_skb", KW_SKB_RECEIVE, false},
	{"skb:skb_copy_datagram_iovec", KW_SKB_COPY_TO_USER, false},
	{"skb:consume_skb", KW_SKB_FREE, false},
	{"skb:kfree_skb", KW_SKB_FREE, false},
	{"kprobe:tcp_rate_check_app_limited", KW_TCP_SEND_CALLS, false},
};
#define NPROGS (sizeof prog_defs / sizeof prog_defs[0])
_Static_assert(NPROGS == 14, "links[] holds one per program");

static struct bpf_program *prog_of(struct kwork_bpf *s, size_t i)
{
	/* In prog_defs order. */
	struct bpf_program *p[NPROGS] = {
		s->progs.kw_page_alloc,
		s->progs.kw_kmalloc,
		s->progs.kw_kmem_cache_alloc,
		s->progs.kw_kmalloc_node,
		s->progs.kw_kmem_cache_alloc_node,
		s->progs.kw_page_cache_add,
		s->progs.kw_page_fault_user,
		s->progs.kw_softirq,
		s->progs.kw_net_dev_xmit,
		s->progs.kw_netif_receive_skb,
		s->progs.kw_skb_copy,
		s->progs.kw_consume_skb,
		s->progs.kw_kfree_skb,
		s->progs.kw_tcp_send_call,
	};
	return p[i];
}

struct zc_kwork *zc_kwork_open(char *err, size_t len)
{
	struct zc_kwork *k = calloc(1, sizeof *k);
	if (!k) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	k->skel = kwork_bpf__open_and_load();
	if (!k->skel) {
		snprintf(err, len, "cannot load the kernel-work programs: %s", strerror(errno));
		free(k);
		return NULL;
	}
	k->attached = json_array();
	k->missing = json_object();
	bool failed[KW_NEVENTS] = {false}, any[KW_NEVENTS] = {false};
	for (size_t i = 0; i < NPROGS; i++) {
		struct bpf_link *l = bpf_program__attach(prog_of(k->skel, i));
		int ev = prog_defs[i].event;
		if (!l) {
			if (prog_defs[i].optional)
				continue;
			failed[ev] = true;
			json_object_set_new(k->missing, prog_defs[i].tracepoint, json_string(strerror(errno)));
			continue;
		}
		k->links[i] = l;
		any[ev] = true;
		json_array_append_new(k->attached, json_string(prog_defs[i].tracepoint));
	}
	for (int e = 0; e < KW_NEVENTS; e++)
		k->has[e] = any[e] && !failed[e];
	k->has[KW_SOFTIRQ_NET_RX] = k->has[KW_SOFTIRQ];
	k->ncpus = libbpf_num_possible_cpus();
	k->cpus = k->ncpus > 0 ? calloc((size_t)k->ncpus, sizeof *k->cpus) : NULL;
	if (!k->cpus) {
		snprintf(err, len, "cannot size the per-CPU counters");
		zc_kwork_close(k);
		return NULL;
	}
	return k;
}

void zc_kwork_close(struct zc_kwork *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < NPROGS; i++)
		bpf_link__destroy(k->links[i]);
	kwork_bpf__destroy(k->skel);
	json_decref(k->attached);
	json_decref(k->missing);
	free(k->cpus);
	free(k);
}

void zc_kwork_arm(struct zc_kwork *k, pid_t subject)
{
	if (!k)
		return;
	__atomic_store_n(&k->skel->data_ctl->kw_enabled, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&k->skel->data_ctl->kw_tgid, (uint32_t)subject, __ATOMIC_SEQ_CST);
	uint32_t zero = 0;
	memset(k->cpus, 0, (size_t)k->ncpus * sizeof *k->cpus);
	bpf_map_update_elem(bpf_map__fd(k->skel->maps.kw_percpu), &zero, k->cpus, BPF_ANY);
}

void zc_kwork_begin(struct zc_kwork *k)
{
	if (k)
		__atomic_store_n(&k->skel->data_ctl->kw_enabled, 1, __ATOMIC_SEQ_CST);
}

void zc_kwork_end(struct zc_kwork *k)
{
	if (k)
		__atomic_store_n(&k->skel->data_ctl->kw_enabled, 0, __ATOMIC_SEQ_CST);
}

json_t *zc_kwork_collect(struct zc_kwork *k, pid_t subject)
{
	if (!k)
		return json_null();
	__atomic_store_n(&k->skel->data_ctl->kw_enabled, 0, __ATOMIC_SEQ_CST);
	uint32_t zero = 0;
	if (__atomic_load_n(&k->skel->data_ctl->kw_tgid, __ATOMIC_SEQ_CST) != (uint32_t)subject ||
	    bpf_map_lookup_elem(bpf_map__fd(k->skel->maps.kw_percpu), &zero, k->cpus) != 0)
		return json_null();
	uint64_t sum[KW_NEVENTS] = {0}, bytes = 0;
	for (int c = 0; c < k->ncpus; c++) {
		for (int e = 0; e < KW_NEVENTS; e++)
			sum[e] += k->cpus[c].n[e];
		bytes += k->cpus[c].copy_bytes;
	}
	json_t *j = json_object();
	for (int e = 0; e < KW_NEVENTS; e++)
		if (k->has[e])
			json_object_set_new(j, event_names[e], json_integer((json_int_t)sum[e]));
	if (k->has[KW_SKB_COPY_TO_USER])
		json_object_set_new(j, "skb_bytes_copied_to_user", json_integer((json_int_t)bytes));
	return j;
}

json_t *zc_kwork_status_json(const struct zc_kwork *k)
{
	if (!k)
		return json_null();
	return json_pack("{s:O,s:O}", "attached", k->attached, "missing", k->missing);
}
#else
struct zc_kwork *zc_kwork_open(char *err, size_t len)
{
	snprintf(err, len, "built without eBPF support");
	return NULL;
}
void zc_kwork_close(struct zc_kwork *k)
{
	(void)k;
}
void zc_kwork_arm(struct zc_kwork *k, pid_t subject)
{
	(void)k;
	(void)subject;
}
void zc_kwork_begin(struct zc_kwork *k)
{
	(void)k;
}
void zc_kwork_end(struct zc_kwork *k)
{
	(void)k;
}
json_t *zc_kwork_collect(struct zc_kwork *k, pid_t subject)
{
	(void)k;
	(void)subject;
	return json_null();
}
json_t *zc_kwork_status_json(const struct zc_kwork *k)
{
	(void)k;
	return json_null();
}
#endif
