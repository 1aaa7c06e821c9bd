/* Constants shared by the kernel-work probes (kwork.bpf.c) and user space (kwork.c). */
#ifndef KWORK_BPF_SHARED_H
#define KWORK_BPF_SHARED_H

/* The events counted, indexes into struct kwork_cpu's n[]; kwork.c names
 * them in the same order. */
#define KW_PAGE_ALLOC	    0  /* pages allocated (2^order per kmem:mm_page_alloc) */
#define KW_SLAB_ALLOC	    1  /* kmem:kmalloc + kmem:kmem_cache_alloc */
#define KW_PAGE_CACHE_ADD   2  /* filemap:mm_filemap_add_to_page_cache */
#define KW_PAGE_FAULT_USER  3  /* exceptions:page_fault_user */
#define KW_SOFTIRQ	    4  /* irq:softirq_entry, any vector */
#define KW_SOFTIRQ_NET_RX   5  /* irq:softirq_entry, NET_RX */
#define KW_SKB_XMIT	    6  /* net:net_dev_xmit: packets handed to a device */
#define KW_SKB_RECEIVE	    7  /* net:netif_receive_skb: packets received */
#define KW_SKB_COPY_TO_USER 8  /* skb:skb_copy_datagram_iovec calls */
#define KW_SKB_FREE	    9  /* skb:consume_skb + skb:kfree_skb */
#define KW_TCP_SEND_CALLS   10 /* kprobe tcp_rate_check_app_limited: one per TCP sendmsg or sendpage call */
#define KW_NEVENTS	    11

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif
struct kwork_cpu {
	__u64 n[KW_NEVENTS];
	__u64 copy_bytes; /* bytes of skb_copy_datagram_iovec */
};

#endif
