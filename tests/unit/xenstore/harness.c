/*
 * harness.c - daemon lifecycle and raw protocol helpers (see harness.h).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

#define XS_WIRE_WANT_ERRORS
#include "harness.h"

char daemon_sock[256];
char daemon_dir[128];
static pid_t daemon_pid = -1;
static uint32_t next_req = 1;

void daemon_start(const char *const *extra)
{
	const char *bin = getenv("XS_DAEMON");
	const char *argv[32];
	int n = 0, i, fd;

	ck_assert_msg(bin, "XS_DAEMON not set");
	strcpy(daemon_dir, "/tmp/xs-test-XXXXXX");
	ck_assert(mkdtemp(daemon_dir));
	snprintf(daemon_sock, sizeof(daemon_sock), "%s/sock", daemon_dir);
	argv[n++] = bin;
	argv[n++] = "-s";
	argv[n++] = daemon_sock;
	argv[n++] = "-D";
	argv[n++] = "-l";
	argv[n++] = getenv("XS_LOG_LEVEL") ? getenv("XS_LOG_LEVEL") : "error";
	for (i = 0; extra && extra[i] && n < 31; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	daemon_pid = fork();
	ck_assert(daemon_pid >= 0);
	if (daemon_pid == 0) {
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	/* Wait for the socket to accept. */
	for (i = 0; i < 500; i++) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };

		strcpy(a.sun_path, daemon_sock);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (!connect(fd, (struct sockaddr *)&a, sizeof(a))) {
			close(fd);
			setenv("XENSTORED_PATH", daemon_sock, 1);
			return;
		}
		close(fd);
		usleep(2000);
	}
	ck_abort_msg("daemon did not start");
}

bool daemon_alive(void)
{
	int status;

	return daemon_pid > 0 && waitpid(daemon_pid, &status, WNOHANG) == 0;
}

void daemon_stop(void)
{
	int status = 0;
	char cmd[300];

	if (daemon_pid > 0) {
		kill(daemon_pid, SIGTERM);
		waitpid(daemon_pid, &status, 0);
		daemon_pid = -1;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", daemon_dir);
	if (system(cmd)) {
		/* leftovers in /tmp are harmless */
	}
	/* A clean exit (not a sanitizer report or a crash). */
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "daemon exit status %d", status);
}

int raw_open(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(a.sun_path, daemon_sock);
	ck_assert(fd >= 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

int raw_open_as(unsigned int domid)
{
	int fd = raw_open();
	char d[16];

	snprintf(d, sizeof(d), "%u", domid);
	ck_assert_int_eq(xs_req(fd, XS_CONTROL, 0, NULL, 2, "as-domain", d),
			 0);
	return fd;
}

void raw_close(int fd)
{
	close(fd);
}

int raw_send(int fd, uint32_t type, uint32_t req_id, uint32_t tx_id,
	     const void *payload, uint32_t len)
{
	struct xsd_sockmsg h = { type, req_id, tx_id, len };
	char buf[sizeof(h) + 8192];

	if (len > 8192)
		return -1;
	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), payload, len);
	return send(fd, buf, sizeof(h) + len, MSG_NOSIGNAL) ==
	       (ssize_t)(sizeof(h) + len) ? 0 : -1;
}

static int recv_all(int fd, void *buf, size_t len, int timeout_ms)
{
	size_t done = 0;

	while (done < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, timeout_ms) <= 0)
			return -1;
		n = recv(fd, (char *)buf + done, len - done, 0);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

int raw_recv(int fd, struct xsd_sockmsg *hdr, char *buf, int timeout_ms)
{
	if (recv_all(fd, hdr, sizeof(*hdr), timeout_ms))
		return -1;
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return -1;
	if (recv_all(fd, buf, hdr->len, 5000))
		return -1;
	buf[hdr->len] = '\0';
	return (int)hdr->type;
}

/* Watch events that arrive while waiting for a reply are kept here. */
struct pending_event {
	struct pending_event *next;
	int fd;
	uint32_t len;
	char body[XENSTORE_PAYLOAD_MAX + 1];
};
static struct pending_event *pending;

static void keep_event(int fd, const char *body, uint32_t len)
{
	struct pending_event *e = calloc(1, sizeof(*e)), **pp = &pending;

	e->fd = fd;
	e->len = len;
	memcpy(e->body, body, len);
	while (*pp)
		pp = &(*pp)->next;
	*pp = e;
}

int raw_reply(int fd, uint32_t req_id, char *buf, uint32_t *len)
{
	struct xsd_sockmsg h;
	int type;

	for (;;) {
		type = raw_recv(fd, &h, buf, 5000);
		if (type < 0)
			return -1;
		if (type == XS_WATCH_EVENT) {
			ck_assert_int_eq(h.req_id, 0);
			keep_event(fd, buf, h.len);
			continue;
		}
		ck_assert_int_eq(h.req_id, req_id);
		if (len)
			*len = h.len;
		return type;
	}
}

int raw_call(int fd, uint32_t type, uint32_t tx_id, const void *payload,
	     uint32_t len, char *buf, uint32_t *rlen)
{
	uint32_t id = next_req++;

	if (raw_send(fd, type, id, tx_id, payload, len))
		return -1;
	return raw_reply(fd, id, buf, rlen);
}

static int errno_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < XSD_ERRORS_COUNT; i++)
		if (!strcmp(xsd_errors[i].errstring, name))
			return -xsd_errors[i].errnum;
	ck_abort_msg("unknown error name %s", name);
	return -EINVAL;
}

int xs_req(int fd, uint32_t type, uint32_t tx_id, char *out,
	   unsigned int nstr, ...)
{
	char payload[XENSTORE_PAYLOAD_MAX * 2], reply[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t len = 0, rlen;
	unsigned int i;
	va_list ap;
	int t;

	va_start(ap, nstr);
	for (i = 0; i < nstr; i++) {
		const char *s = va_arg(ap, const char *);

		memcpy(payload + len, s, strlen(s) + 1);
		len += (uint32_t)strlen(s) + 1;
	}
	va_end(ap);
	/* WRITE's value has no trailing NUL. */
	if (type == XS_WRITE && nstr == 2)
		len--;
	t = raw_call(fd, type, tx_id, payload, len, reply, &rlen);
	ck_assert_int_ge(t, 0);
	if (t == XS_ERROR)
		return errno_of(reply);
	ck_assert_int_eq(t, type);
	if (out) {
		memcpy(out, reply, rlen);
		out[rlen] = '\0';
	}
	return 0;
}

int raw_event(int fd, char *path, char *token, int timeout_ms)
{
	struct pending_event **pp, *e;
	struct xsd_sockmsg h;
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	const char *body;
	int type;

	for (pp = &pending; (e = *pp); pp = &e->next)
		if (e->fd == fd)
			break;
	if (e) {
		*pp = e->next;
		body = e->body;
	} else {
		type = raw_recv(fd, &h, buf, timeout_ms);
		if (type < 0)
			return 0;
		ck_assert_int_eq(type, XS_WATCH_EVENT);
		buf[h.len] = '\0';
		body = buf;
	}
	strcpy(path, body);
	strcpy(token, body + strlen(body) + 1);
	free(e);
	return 1;
}

struct hvxs *lib_open(void)
{
	struct hvxs *h = hvxs_open(daemon_sock);

	ck_assert_ptr_nonnull(h);
	return h;
}

char *dom0_read(const char *path)
{
	struct hvxs *h = lib_open();
	char *v = hvxs_read(h, HVXS_TX_NONE, path, NULL);

	hvxs_close(h);
	return v;
}
