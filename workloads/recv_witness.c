#include "recv_witness.h"

#include <errno.h>
#include <stddef.h>
#include <linux/sockios.h>
#include <linux/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <netinet/in.h>
#include <sys/socket.h>

int zc_tcp_consumed(int fd, uint64_t *consumed)
{
	struct tcp_info ti;
	memset(&ti, 0, sizeof ti);
	socklen_t len = sizeof ti;
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return errno;
	/* Kernels before 4.1 end the structure earlier: no count there. */
	if (len < offsetof(struct tcp_info, tcpi_bytes_received) + sizeof ti.tcpi_bytes_received)
		return EOPNOTSUPP;
	int unread = 0;
	if (ioctl(fd, SIOCINQ, &unread) != 0)
		return errno;
	/* tcpi_bytes_received counts the peer's FIN (one sequence number) and
	 * SIOCINQ does not: take it off once the peer has closed (CLOSE_WAIT 8,
	 * LAST_ACK 9, CLOSING 11, TIME_WAIT 6 in the kernel's tcp_states.h). */
	uint64_t fin = ti.tcpi_state == 8 || ti.tcpi_state == 9 || ti.tcpi_state == 11 || ti.tcpi_state == 6;
	*consumed = ti.tcpi_bytes_received - fin - (uint64_t)(unread > 0 ? unread : 0);
	return 0;
}
