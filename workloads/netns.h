/* Network paths other than loopback, on one machine: two network namespaces
 * zcbench creates and joins with a veth pair (--netns: subject in one, peer
 * in the other, so every byte crosses a device driver), or one namespace
 * holding an ifb device that drops what is sent to it (--sink blackhole:
 * the one place here where zero-copy UDP sends complete uncopied).
 *
 * Nothing outlives the run: the namespaces are unnamed (never bound under
 * /run/netns) and live only while a descriptor or a socket of this process
 * tree refers to them; the veth pair and the ifb device live inside them and
 * go with them. Killed with SIGKILL, the harness's descriptors close, its
 * subject and peer die with it (PR_SET_PDEATHSIG), and the kernel removes
 * namespaces and devices. The host's own namespace is never changed: the
 * addresses (10.77.0.0/24, 10.77.1.0/24) exist only inside them. */
#ifndef ZC_NETNS_H
#define ZC_NETNS_H

#include <stddef.h>

enum zc_net_path {
	ZC_NET_LOOPBACK,  /* 127.0.0.1 in the harness's own namespace */
	ZC_NET_VETH,	  /* subject 10.77.0.1 and peer 10.77.0.2, a veth pair between two namespaces */
	ZC_NET_BLACKHOLE, /* subject 10.77.1.1 on an ifb device, sending to 10.77.1.2: dropped, never received */
};
extern const char *const zc_net_path_names[]; /* indexed by enum zc_net_path */

struct zc_netns {
	enum zc_net_path path;
	unsigned mtu;			   /* veth: the pair's MTU; 0 otherwise */
	int subj_ns;			   /* the subject's sockets' namespace, or -1: the harness's own */
	int peer_ns;			   /* the peer's sockets' namespace (veth), or -1 */
	const char *subj_addr, *peer_addr; /* dotted IPv4 */
};

/* Create what path needs (nothing for loopback). Returns 0, or -1 with err
 * (not root, no veth or ifb in the kernel, no ip(8)). */
int zc_netns_setup(struct zc_netns *n, enum zc_net_path path, unsigned mtu, char *err, size_t err_len);
/* Drop the harness's references: the kernel removes namespaces and devices
 * once the last socket in them is closed. */
void zc_netns_teardown(struct zc_netns *n);

/* socket(2) in namespace ns (-1: the caller's own). Returns the descriptor
 * or -1 with errno. */
int zc_netns_socket(int ns, int domain, int type, int protocol);

#endif
