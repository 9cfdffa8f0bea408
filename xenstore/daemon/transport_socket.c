/*
 * transport_socket.c - UNIX socket transport (see transport_socket.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "connection.h"
#include "log.h"
#include "transport_socket.h"

static int sock_fd_of(const struct connection *c)
{
	return (int)(intptr_t)c->tp;
}

static int sock_read(struct connection *c, void *buf, size_t len)
{
	ssize_t n = recv(sock_fd_of(c), buf, len, MSG_DONTWAIT);

	if (n > 0)
		return (int)n;
	if (n == 0)
		return -EPIPE;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	return -errno;
}

static int sock_write(struct connection *c, const void *buf, size_t len)
{
	ssize_t n = send(sock_fd_of(c), buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n >= 0)
		return (int)n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	return -errno;
}

static void sock_destroy(struct connection *c)
{
	close(sock_fd_of(c));
}

static const struct transport_ops socket_ops = {
	.name = "socket",
	.read = sock_read,
	.write = sock_write,
	.fd = sock_fd_of,
	.destroy = sock_destroy,
};

int socket_listen(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = -1, rc;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    chmod(path, 0600) || listen(fd, 128)) {
		rc = -errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return rc;
}

void socket_accept(int listen_fd)
{
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("accept: %s", strerror(errno));
		return;
	}
	if (!conn_new(&socket_ops, (void *)(intptr_t)fd, 0, true))
		close(fd);
}
