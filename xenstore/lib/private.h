/*
 * private.h - libhvxs internals shared by its files.
 */
#ifndef HVXS_PRIVATE_H
#define HVXS_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <public/io/xs_wire.h>

#include "xenstore.h"

struct hvxs_msg {
	struct hvxs_msg *next;
	struct xsd_sockmsg hdr;
	char body[];		/* hdr.len bytes + a NUL */
};

/*
 * Locking: req_lock serialises whole requests (send + wait), so at most
 * one reply is awaited per handle. io_lock protects the queues, the
 * reader state and `dead`; reply_cond and event_cond signal arrivals.
 * Without a reader thread the requesting thread reads the socket itself.
 */
struct hvxs {
	int fd;
	pthread_mutex_t req_lock;
	pthread_mutex_t io_lock;
	pthread_cond_t reply_cond;
	pthread_cond_t event_cond;
	bool reader_running;
	pthread_t reader;
	bool dead;
	uint32_t next_req_id;
	struct hvxs_msg *reply;		/* the awaited reply, once in */
	struct hvxs_msg *events, **events_tail;
	int event_pipe[2];		/* one byte per queued event */
};

int hvxs_start_reader(struct hvxs *h);
/* Map an error name from the wire to an errno value. */
int hvxs_errno_from_name(const char *name);

#endif /* HVXS_PRIVATE_H */
