/* The one table of workloads. */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "../strategies/strategy.h"
#include "workload.h"

static const struct zc_workload file_tcp = {
	"file-tcp", "a regular file to a TCP connection on loopback, drained by a peer process",
	ZC_EP_FILE, ZC_EP_TCP,
	1,	    false};
static const struct zc_workload file_file = {
	"file-file", "a regular file to another file in the same directory", ZC_EP_FILE, ZC_EP_FILE, 1, false};
static const struct zc_workload file_unix = {
	"file-unix", "a regular file to a unix stream socket, drained by a peer process", ZC_EP_FILE, ZC_EP_UNIX, 1,
	false};
static const struct zc_workload file_pipe = {
	"file-pipe", "a regular file to a pipe, drained by a peer process", ZC_EP_FILE, ZC_EP_PIPE, 1, false};
static const struct zc_workload pipe_file = {
	"pipe-file", "a pipe filled by a producer process to a regular file", ZC_EP_PIPE, ZC_EP_FILE, 1, false};
static const struct zc_workload mem_tcp = {
	"mem-tcp", "bytes already in the subject's memory to a TCP connection on loopback", ZC_EP_MEM, ZC_EP_TCP, 1,
	false};
static const struct zc_workload tcp_proxy = {
	"tcp-proxy", "the article's proxy: a client sends over TCP, the subject relays to a server that verifies",
	ZC_EP_TCP,   ZC_EP_TCP,
	1,	     false};
static const struct zc_workload file_tee = {
	"file-tee", "one file to two TCP connections at once, both drained and verified", ZC_EP_FILE, ZC_EP_TCP, 2,
	false};

/* The receive side: a peer sends (--send-mode), the subject receives. */
static const struct zc_workload tcp_file = {
	"tcp-file", "a peer sends over TCP on loopback; the subject writes what it receives to a file, verified",
	ZC_EP_TCP,  ZC_EP_FILE,
	1,	    false};
static const struct zc_workload tcp_mem = {
	"tcp-mem", "a peer sends over TCP on loopback; the subject receives into memory and consumes it there",
	ZC_EP_TCP, ZC_EP_MEM,
	1,	   false};

/* UDP: datagrams, which may be lost; the peer counts and places each one. */
static const struct zc_workload mem_udp = {
	"mem-udp", "bytes in the subject's memory as UDP datagrams to a peer that counts and verifies them",
	ZC_EP_MEM, ZC_EP_UDP,
	1,	   true};
static const struct zc_workload file_udp = {
	"file-udp", "a regular file as UDP datagrams to a peer that counts and verifies them", ZC_EP_FILE, ZC_EP_UDP, 1,
	true};

const struct zc_workload *const zc_workloads[] = {&file_tcp,  &file_file, &file_unix, &file_pipe,
						  &pipe_file, &mem_tcp,	  &tcp_proxy, &file_tee,
						  &tcp_file,  &tcp_mem,	  &mem_udp,   &file_udp};
const size_t zc_workload_count = sizeof zc_workloads / sizeof zc_workloads[0];

const char *const zc_drain_names[] = {"auto", "trunc", "read", "splice"};
const char *const zc_send_mode_names[] = {"auto", "send", "sendfile", "zerocopy"};

enum zc_send_mode zc_send_mode_resolve(const struct zc_workload *w, enum zc_send_mode asked)
{
	if (w->source != ZC_EP_TCP)
		return ZC_SEND_AUTO;
	if (asked != ZC_SEND_AUTO)
		return asked;
	/* The proxy keeps the sender it was measured with; the receive
	 * workloads send from memory, as most senders do. */
	return w->sink == ZC_EP_FILE || w->sink == ZC_EP_MEM ? ZC_SEND_SEND : ZC_SEND_SENDFILE;
}

const struct zc_workload *zc_workload_find(const char *name)
{
	for (size_t i = 0; i < zc_workload_count; i++)
		if (strcmp(zc_workloads[i]->name, name) == 0)
			return zc_workloads[i];
	return NULL;
}

const char *zc_drain_resolve(const struct zc_workload *w, enum zc_drain asked, enum zc_drain *out)
{
	if (w->sink == ZC_EP_FILE || w->sink == ZC_EP_MEM) {
		*out = ZC_DRAIN_AUTO; /* no peer drains a file or the subject's memory */
		return NULL;
	}
	if (w->sink == ZC_EP_UDP) {
		/* Datagrams are received whole (recvmmsg, UDP_GRO) and placed. */
		if (asked != ZC_DRAIN_AUTO && asked != ZC_DRAIN_READ)
			return "UDP datagrams are received with recvmmsg (--drain auto or read)";
		*out = ZC_DRAIN_READ;
		return NULL;
	}
	if (asked == ZC_DRAIN_AUTO)
		asked = w->sink == ZC_EP_TCP ? ZC_DRAIN_TRUNC : ZC_DRAIN_SPLICE;
	if (asked == ZC_DRAIN_TRUNC && w->sink != ZC_EP_TCP)
		return "recv(MSG_TRUNC) discards only on TCP sockets";
	*out = asked;
	return NULL;
}

int zc_pin_cpu(int cpu)
{
	if (cpu < 0)
		return 0;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : errno;
}
