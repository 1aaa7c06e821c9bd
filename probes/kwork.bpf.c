// SPDX-License-Identifier: GPL-2.0
/* Kernel-side work of ONE process (kw_tgid) inside its window (kw_enabled):
 * page and slab allocations, page-cache insertions, user page faults,
 * softirqs, packets sent and received, skb copies to user memory and skb
 * frees, counted when they run in the subject's context. On loopback the
 * receive path runs in the sender's softirq, so a sender's count includes
 * the receive side its packets cause. Tracepoint events count; nothing is
 * timed, so the figures mean the same under emulation.
 *
 * raw_tp only: they load without the tracepoint's BTF, and one that a
 * kernel lacks fails only its own attach (user space records which). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "kwork_bpf_shared.h"

char LICENSE[] SEC("license") = "GPL";

volatile __u32 kw_enabled SEC(".data.ctl") = 0;
volatile __u32 kw_tgid SEC(".data.ctl") = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kwork_cpu);
} kw_percpu SEC(".maps");

/* This CPU's counters when the current task is the subject in its window. */
static __always_inline struct kwork_cpu *subject_cpu(void)
{
	if (!kw_enabled)
		return 0;
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != kw_tgid)
		return 0;
	__u32 zero = 0;
	return bpf_map_lookup_elem(&kw_percpu, &zero);
}

static __always_inline int count(__u32 ev, __u64 n)
{
	struct kwork_cpu *c = subject_cpu();
	if (c && ev < KW_NEVENTS)
		c->n[ev] += n;
	return 0;
}

SEC("raw_tp/mm_page_alloc")
int BPF_PROG(kw_page_alloc, struct page *page, unsigned int order)
{
	return count(KW_PAGE_ALLOC, 1ull << (order & 31));
}

SEC("raw_tp/kmalloc")
int kw_kmalloc(void *ctx)
{
	return count(KW_SLAB_ALLOC, 1);
}

SEC("raw_tp/kmem_cache_alloc")
int kw_kmem_cache_alloc(void *ctx)
{
	return count(KW_SLAB_ALLOC, 1);
}

/* Before 6.1 the NUMA-node allocations had tracepoints of their own. */
SEC("raw_tp/kmalloc_node")
int kw_kmalloc_node(void *ctx)
{
	return count(KW_SLAB_ALLOC, 1);
}

SEC("raw_tp/kmem_cache_alloc_node")
int kw_kmem_cache_alloc_node(void *ctx)
{
	return count(KW_SLAB_ALLOC, 1);
}

SEC("raw_tp/mm_filemap_add_to_page_cache")
int kw_page_cache_add(void *ctx)
{
	return count(KW_PAGE_CACHE_ADD, 1);
}

SEC("raw_tp/page_fault_user")
int kw_page_fault_user(void *ctx)
{
	return count(KW_PAGE_FAULT_USER, 1);
}

SEC("raw_tp/softirq_entry")
int BPF_PROG(kw_softirq, unsigned int vec)
{
	count(KW_SOFTIRQ, 1);
	return vec == 3 /* NET_RX_SOFTIRQ */ ? count(KW_SOFTIRQ_NET_RX, 1) : 0;
}

SEC("raw_tp/net_dev_xmit")
int kw_net_dev_xmit(void *ctx)
{
	return count(KW_SKB_XMIT, 1);
}

SEC("raw_tp/netif_receive_skb")
int kw_netif_receive_skb(void *ctx)
{
	return count(KW_SKB_RECEIVE, 1);
}

SEC("raw_tp/skb_copy_datagram_iovec")
int BPF_PROG(kw_skb_copy, const struct sk_buff *skb, int len)
{
	struct kwork_cpu *c = subject_cpu();
	if (c) {
		c->n[KW_SKB_COPY_TO_USER]++;
		if (len > 0)
			c->copy_bytes += (__u64)len;
	}
	return 0;
}

SEC("raw_tp/consume_skb")
int kw_consume_skb(void *ctx)
{
	return count(KW_SKB_FREE, 1);
}

SEC("raw_tp/kfree_skb")
int kw_kfree_skb(void *ctx)
{
	return count(KW_SKB_FREE, 1);
}

/* TCP's send path is entered once per tcp_sendmsg_locked and, before 6.5,
 * once per do_tcp_sendpages call; both call tcp_rate_check_app_limited once.
 * Splice and sendfile to a socket sent page by page through sendpage before
 * 6.5 and in batches of pipe buffers through sendmsg(MSG_SPLICE_PAGES)
 * after: this count shows it. A kprobe: kernels without kprobes (or with
 * lockdown) leave the event out. */
SEC("kprobe/tcp_rate_check_app_limited")
int kw_tcp_send_call(void *ctx)
{
	return count(KW_TCP_SEND_CALLS, 1);
}
