/*
 * core.c - libhvxs connection, request/reply and watch-event queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define XS_WIRE_WANT_ERRORS
#include "private.h"

int hvxs_errno_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < XSD_ERRORS_COUNT; i++)
		if (!strcmp(xsd_errors[i].errstring, name))
			return xsd_errors[i].errnum;
	return EINVAL;
}

struct hvxs *hvxs_open(const char *socket_path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct hvxs *h;
	int saved;

	if (!socket_path)
		socket_path = getenv("XENSTORED_PATH");
	if (!socket_path)
		socket_path = HVXS_DEFAULT_SOCKET;
	if (strlen(socket_path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(addr.sun_path, socket_path);
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->event_pipe[0] = h->event_pipe[1] = -1;
	h->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (h->fd < 0)
		goto fail;
	if (connect(h->fd, (struct sockaddr *)&addr, sizeof(addr)))
		goto fail;
	if (pipe2(h->event_pipe, O_CLOEXEC | O_NONBLOCK))
		goto fail;
	pthread_mutex_init(&h->req_lock, NULL);
	pthread_mutex_init(&h->io_lock, NULL);
	pthread_cond_init(&h->reply_cond, NULL);
	pthread_cond_init(&h->event_cond, NULL);
	h->events_tail = &h->events;
	h->next_req_id = 1;
	return h;
fail:
	saved = errno;
	if (h->fd >= 0)
		close(h->fd);
	free(h);
	errno = saved;
	return NULL;
}

static void free_list(struct hvxs_msg *m)
{
	while (m) {
		struct hvxs_msg *n = m->next;

		free(m);
		m = n;
	}
}

void hvxs_close(struct hvxs *h)
{
	if (!h)
		return;
	shutdown(h->fd, SHUT_RDWR);
	if (h->reader_running)
		pthread_join(h->reader, NULL);
	close(h->fd);
	close(h->event_pipe[0]);
	close(h->event_pipe[1]);
	free_list(h->events);
	free(h->reply);
	pthread_mutex_destroy(&h->req_lock);
	pthread_mutex_destroy(&h->io_lock);
	pthread_cond_destroy(&h->reply_cond);
	pthread_cond_destroy(&h->event_cond);
	free(h);
}

static int read_all(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n == 0) {
			errno = EPIPE;
			return -1;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = send(fd, (const char *)buf + done, len - done,
				 MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/* Read one whole message from the socket (no locks held). */
static struct hvxs_msg *read_msg(int fd)
{
	struct xsd_sockmsg hdr;
	struct hvxs_msg *m;

	if (read_all(fd, &hdr, sizeof(hdr)))
		return NULL;
	if (hdr.len > XENSTORE_PAYLOAD_MAX) {
		errno = EBADMSG;
		return NULL;
	}
	m = malloc(sizeof(*m) + hdr.len + 1);
	if (!m)
		return NULL;
	m->next = NULL;
	m->hdr = hdr;
	if (read_all(fd, m->body, hdr.len)) {
		free(m);
		return NULL;
	}
	m->body[hdr.len] = '\0';
	return m;
}

/* File m where it belongs; called with io_lock held. */
static void deliver(struct hvxs *h, struct hvxs_msg *m)
{
	char byte = 0;

	if (m->hdr.type == XS_WATCH_EVENT) {
		*h->events_tail = m;
		h->events_tail = &m->next;
		if (write(h->event_pipe[1], &byte, 1) < 0) {
			/* Pipe full: readers still find the queue. */
		}
		pthread_cond_broadcast(&h->event_cond);
		return;
	}
	free(h->reply);		/* a stray reply nobody waits for */
	h->reply = m;
	pthread_cond_broadcast(&h->reply_cond);
}

static void mark_dead(struct hvxs *h)
{
	h->dead = true;
	pthread_cond_broadcast(&h->reply_cond);
	pthread_cond_broadcast(&h->event_cond);
}

static void *reader_main(void *arg)
{
	struct hvxs *h = arg;
	struct hvxs_msg *m;

	for (;;) {
		m = read_msg(h->fd);
		pthread_mutex_lock(&h->io_lock);
		if (!m) {
			mark_dead(h);
			pthread_mutex_unlock(&h->io_lock);
			return NULL;
		}
		deliver(h, m);
		pthread_mutex_unlock(&h->io_lock);
	}
}

/* Called with req_lock held (so no reply is being awaited directly). */
int hvxs_start_reader(struct hvxs *h)
{
	int rc;

	if (h->reader_running)
		return 0;
	rc = pthread_create(&h->reader, NULL, reader_main, h);
	if (rc) {
		errno = rc;
		return -1;
	}
	h->reader_running = true;
	return 0;
}

/* Wait for the reply to req_id; returns it or NULL with errno. */
static struct hvxs_msg *await_reply(struct hvxs *h, uint32_t req_id)
{
	struct hvxs_msg *m = NULL;

	pthread_mutex_lock(&h->io_lock);
	for (;;) {
		if (h->reply && h->reply->hdr.req_id == req_id) {
			m = h->reply;
			h->reply = NULL;
			break;
		}
		if (h->dead) {
			errno = EPIPE;
			break;
		}
		if (h->reader_running) {
			pthread_cond_wait(&h->reply_cond, &h->io_lock);
			continue;
		}
		/* No reader thread: read the socket ourselves. */
		pthread_mutex_unlock(&h->io_lock);
		m = read_msg(h->fd);
		pthread_mutex_lock(&h->io_lock);
		if (!m) {
			mark_dead(h);
			continue;
		}
		deliver(h, m);
		m = NULL;
	}
	pthread_mutex_unlock(&h->io_lock);
	return m;
}

int hvxs_request(struct hvxs *h, uint32_t type, hvxs_tx_t t,
		 const void *payload, unsigned int len, void **reply,
		 unsigned int *reply_len)
{
	char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg hdr = { .type = type, .tx_id = t, .len = len };
	struct hvxs_msg *m = NULL;
	int rc = -1, err = 0;

	if (len > XENSTORE_PAYLOAD_MAX) {
		errno = E2BIG;
		return -1;
	}
	pthread_mutex_lock(&h->req_lock);
	hdr.req_id = h->next_req_id++;
	memcpy(buf, &hdr, sizeof(hdr));
	if (len)
		memcpy(buf + sizeof(hdr), payload, len);
	if (write_all(h->fd, buf, sizeof(hdr) + len)) {
		err = errno;
		goto out;
	}
	m = await_reply(h, hdr.req_id);
	if (!m) {
		err = errno;
		goto out;
	}
	if (m->hdr.type == XS_ERROR) {
		err = hvxs_errno_from_name(m->body);
		goto out;
	}
	if (m->hdr.type != type) {
		err = EBADMSG;
		goto out;
	}
	if (reply_len)
		*reply_len = m->hdr.len;
	if (reply) {
		/* Hand the body over: move it to the front of the block. */
		memmove(m, m->body, m->hdr.len + 1);
		*reply = m;
		m = NULL;
	}
	rc = 0;
out:
	pthread_mutex_unlock(&h->req_lock);
	free(m);
	if (rc)
		errno = err;
	return rc;
}

int hvxs_fileno(struct hvxs *h)
{
	pthread_mutex_lock(&h->req_lock);
	hvxs_start_reader(h);
	pthread_mutex_unlock(&h->req_lock);
	return h->event_pipe[0];
}

/* Split an event body into the two-string vector callers get. */
static char **event_vec(struct hvxs_msg *m, unsigned int *num)
{
	size_t plen = strnlen(m->body, m->hdr.len);
	const char *token = plen < m->hdr.len ? m->body + plen + 1 : "";
	size_t tlen = strlen(token);
	char **vec = malloc(2 * sizeof(char *) + plen + tlen + 2);

	if (!vec)
		return NULL;
	vec[0] = (char *)(vec + 2);
	memcpy(vec[0], m->body, plen);
	vec[0][plen] = '\0';
	vec[1] = vec[0] + plen + 1;
	memcpy(vec[1], token, tlen + 1);
	if (num)
		*num = 2;
	return vec;
}

static char **take_event(struct hvxs *h, bool block, unsigned int *num)
{
	struct hvxs_msg *m = NULL;
	char **vec = NULL;
	char byte;

	pthread_mutex_lock(&h->io_lock);
	while (!h->events) {
		if (h->dead) {
			errno = EPIPE;
			goto out;
		}
		if (!block) {
			errno = EAGAIN;
			goto out;
		}
		pthread_cond_wait(&h->event_cond, &h->io_lock);
	}
	m = h->events;
	h->events = m->next;
	if (!h->events)
		h->events_tail = &h->events;
	if (read(h->event_pipe[0], &byte, 1) < 0) {
		/* Nothing to drain: the pipe had overflowed earlier. */
	}
	vec = event_vec(m, num);
	free(m);
out:
	pthread_mutex_unlock(&h->io_lock);
	return vec;
}

char **hvxs_read_watch(struct hvxs *h, unsigned int *num)
{
	pthread_mutex_lock(&h->req_lock);
	hvxs_start_reader(h);
	pthread_mutex_unlock(&h->req_lock);
	return take_event(h, true, num);
}

char **hvxs_check_watch(struct hvxs *h)
{
	return take_event(h, false, NULL);
}
