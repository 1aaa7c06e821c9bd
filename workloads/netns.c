#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

const char *const zc_net_path_names[] = {"loopback", "veth", "blackhole"};

/* Namespaces are per thread: entering one and coming back is local to the
 * calling thread. */
static int self_ns(void)
{
	return open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
}

/* Back to the harness's namespace, or nothing here may go on. */
static void go_home(int home)
{
	if (setns(home, CLONE_NEWNET) != 0) {
		perror("zcbench: setns back to the harness's namespace");
		_exit(1);
	}
	close(home);
}

/* A new, empty network namespace; returns a descriptor for it, or -1 with
 * errno. The calling thread ends where it started. */
static int new_ns(void)
{
	int home = self_ns();
	if (home < 0)
		return -1;
	if (unshare(CLONE_NEWNET) != 0) {
		int e = errno;
		close(home);
		errno = e;
		return -1;
	}
	int fd = self_ns(), e = errno;
	go_home(home);
	errno = e;
	return fd;
}

int zc_netns_socket(int ns, int domain, int type, int protocol)
{
	if (ns < 0)
		return socket(domain, type, protocol);
	int home = self_ns();
	if (home < 0)
		return -1;
	if (setns(ns, CLONE_NEWNET) != 0) {
		int e = errno;
		close(home);
		errno = e;
		return -1;
	}
	int fd = socket(domain, type, protocol);
	int e = errno;
	go_home(home);
	errno = e;
	return fd;
}

/* Run ip(8) with args inside namespace ns; "%NS" in an argument is replaced
 * by a path naming namespace other. Returns 0, or -1 with err holding what
 * ip said. */
static int run_ip(int ns, int other, const char *const *args, char *err, size_t err_len)
{
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) != 0) {
		snprintf(err, err_len, "pipe2: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, err_len, "fork: %s", strerror(errno));
		close(ep[0]);
		close(ep[1]);
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(ep[1], 2);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null >= 0)
			dup2(null, 1);
		if (ns >= 0 && setns(ns, CLONE_NEWNET) != 0) {
			dprintf(2, "setns: %s", strerror(errno));
			_exit(127);
		}
		char path[64] = "";
		if (other >= 0) {
			int keep = dup(other); /* without O_CLOEXEC: ip opens it by path */
			snprintf(path, sizeof path, "/proc/self/fd/%d", keep);
		}
		const char *argv[24];
		size_t n = 0;
		argv[n++] = "ip";
		for (size_t i = 0; args[i] && n < 23; i++)
			argv[n++] = strcmp(args[i], "%NS") == 0 ? path : args[i];
		argv[n] = NULL;
		execvp("ip", (char *const *)argv);
		dprintf(2, "cannot run ip(8) (iproute2): %s", strerror(errno));
		_exit(127);
	}
	close(ep[1]);
	char msg[256];
	size_t got = 0;
	ssize_t r;
	while (got < sizeof msg - 1 &&
	       ((r = read(ep[0], msg + got, sizeof msg - 1 - got)) > 0 || (r < 0 && errno == EINTR)))
		if (r > 0)
			got += (size_t)r;
	msg[got] = 0;
	close(ep[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, err_len, "waitpid(ip): %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	char *nl = strchr(msg, '\n');
	if (nl)
		*nl = 0;
	snprintf(err, err_len, "ip");
	for (size_t i = 0; args[i]; i++)
		snprintf(err + strlen(err), err_len - strlen(err), " %s", args[i]);
	snprintf(err + strlen(err), err_len - strlen(err), ": %s", got ? msg : "failed");
	return -1;
}

#define IP(...) ((const char *const[]){__VA_ARGS__, NULL})

int zc_netns_setup(struct zc_netns *n, enum zc_net_path path, unsigned mtu, char *err, size_t err_len)
{
	*n = (struct zc_netns){
		.path = path, .subj_ns = -1, .peer_ns = -1, .subj_addr = "127.0.0.1", .peer_addr = "127.0.0.1"};
	if (path == ZC_NET_LOOPBACK)
		return 0;
	n->subj_ns = new_ns();
	if (n->subj_ns < 0) {
		snprintf(err, err_len, "a network namespace: unshare(CLONE_NEWNET): %s%s", strerror(errno),
			 errno == EPERM ? " (needs root: CAP_SYS_ADMIN)" : "");
		return -1;
	}
	char mtus[16];
	snprintf(mtus, sizeof mtus, "%u", mtu);
	if (path == ZC_NET_VETH) {
		n->mtu = mtu;
		n->subj_addr = "10.77.0.1";
		n->peer_addr = "10.77.0.2";
		n->peer_ns = new_ns();
		if (n->peer_ns < 0) {
			snprintf(err, err_len, "a network namespace: unshare(CLONE_NEWNET): %s", strerror(errno));
			goto fail;
		}
		/* One request makes both ends, each in its namespace: there is
		 * never a device in the host's namespace to leave behind. */
		if (run_ip(n->subj_ns, n->peer_ns,
			   IP("link", "add", "zcs", "type", "veth", "peer", "name", "zcp", "netns", "%NS"), err,
			   err_len) ||
		    run_ip(n->subj_ns, -1, IP("link", "set", "zcs", "mtu", mtus, "up"), err, err_len) ||
		    run_ip(n->subj_ns, -1, IP("addr", "add", "10.77.0.1/24", "dev", "zcs"), err, err_len) ||
		    run_ip(n->peer_ns, -1, IP("link", "set", "zcp", "mtu", mtus, "up"), err, err_len) ||
		    run_ip(n->peer_ns, -1, IP("addr", "add", "10.77.0.2/24", "dev", "zcp"), err, err_len))
			goto fail;
		return 0;
	}
	/* ifb: without a tc redirect every packet sent to it is dropped at
	 * transmit (ifb_xmit), after the stack has let go of its pages. It is
	 * NOARP, so the unused address 10.77.1.2 needs no neighbour. */
	n->subj_addr = "10.77.1.1";
	n->peer_addr = "10.77.1.2";
	if (run_ip(n->subj_ns, -1, IP("link", "add", "zcbh", "type", "ifb"), err, err_len) ||
	    run_ip(n->subj_ns, -1, IP("link", "set", "zcbh", "up"), err, err_len) ||
	    run_ip(n->subj_ns, -1, IP("addr", "add", "10.77.1.1/24", "dev", "zcbh"), err, err_len))
		goto fail;
	return 0;
fail:
	zc_netns_teardown(n);
	return -1;
}

void zc_netns_teardown(struct zc_netns *n)
{
	if (n->subj_ns >= 0)
		close(n->subj_ns);
	if (n->peer_ns >= 0)
		close(n->peer_ns);
	n->subj_ns = n->peer_ns = -1;
}
