/*
 * fuzz_xs.c - libFuzzer target: the daemon's framing, parser and every
 * handler, fed a byte stream as if from one client.
 *
 * Input: byte 0 picks the client (bit 0: unprivileged, bits 1-7: its
 * domid if so), byte 1 bit 0 adds a second, privileged client that gets
 * the rest of the stream after the first one (so both sides of
 * permissions and watches run). Everything else is raw wire bytes.
 * After each input the store must pass its consistency check, and no
 * sanitizer may fire.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "domain.h"
#include "handlers.h"
#include "log.h"
#include "quota.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

struct feed {
	const uint8_t *p;
	size_t left;
};

static int feed_read(struct connection *c, void *buf, size_t len)
{
	struct feed *f = c->tp;

	if (!f->left)
		return -32;	/* EPIPE: end of this client's stream */
	if (len > f->left)
		len = f->left;
	memcpy(buf, f->p, len);
	f->p += len;
	f->left -= len;
	return (int)len;
}

static int feed_write(struct connection *c, const void *buf, size_t len)
{
	return (int)len;	/* the client swallows everything */
}

static int feed_fd(const struct connection *c)
{
	return 0;
}

static const struct transport_ops feed_ops = {
	.name = "fuzz",
	.read = feed_read,
	.write = feed_write,
	.fd = feed_fd,
};

static unsigned int saved_quota[Q_COUNT];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(XS_LOG_ERROR);
	control_allow_files = false;
	domain_rings_enabled = false;
	memcpy(saved_quota, quota_global, sizeof(saved_quota));
	return 0;
}

static void run_client(struct connection *c)
{
	int rounds = 0;

	/* Until its stream ends; replies drain so outstanding never sticks. */
	while (!c->dead && rounds++ < 100000) {
		conn_handle_input(c);
		conn_handle_output(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed f1, f2;
	struct connection *c1, *c2 = NULL;
	size_t half;

	if (size < 2)
		return 0;
	memcpy(quota_global, saved_quota, sizeof(saved_quota));
	log_set_level(XS_LOG_ERROR);
	if (store_init(domain_nodes_hook))
		abort();
	half = data[1] & 1 ? (size - 2) / 2 : size - 2;
	f1 = (struct feed){ data + 2, half };
	f2 = (struct feed){ data + 2 + half, size - 2 - half };
	c1 = conn_new(&feed_ops, &f1, data[0] & 1 ? (data[0] >> 1) + 1 : 0,
		      !(data[0] & 1));
	if (data[1] & 1)
		c2 = conn_new(&feed_ops, &f2, 0, true);
	if (!c1 || ((data[1] & 1) && !c2))
		abort();
	run_client(c1);
	if (c2)
		run_client(c2);
	if (store_check())
		abort();	/* the tree went inconsistent */
	conn_close_all();
	store_exit();
	domain_exit();
	return 0;
}
