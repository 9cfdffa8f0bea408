/*
 * harness.h - run the real xenstored on a UNIX socket in a temp dir and
 * talk to it raw or through libhvxs.
 *
 * Each test gets a fresh daemon (daemon_start in the fixture), so tests
 * are independent. The daemon binary is $XS_DAEMON (the Makefile sets it,
 * also to an ASan/UBSan build).
 */
#ifndef XS_TEST_HARNESS_H
#define XS_TEST_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include <public/io/xs_wire.h>

#include "xenstore.h"

extern char daemon_sock[];
extern char daemon_dir[];

/* Start with extra daemon arguments (NULL-terminated list). */
void daemon_start(const char *const *extra);
void daemon_stop(void);
/* True while the daemon process lives. */
bool daemon_alive(void);

/* Raw socket client. */
int raw_open(void);
/* Open, then CONTROL as-domain <domid>. */
int raw_open_as(unsigned int domid);
void raw_close(int fd);
int raw_send(int fd, uint32_t type, uint32_t req_id, uint32_t tx_id,
	     const void *payload, uint32_t len);
/* Receive one message: returns type, or -1 on EOF/timeout (ms). The
 * payload (NUL appended) goes to buf (>= XENSTORE_PAYLOAD_MAX + 1). */
int raw_recv(int fd, struct xsd_sockmsg *hdr, char *buf, int timeout_ms);
/* Receive, skipping watch events, the reply to req_id. */
int raw_reply(int fd, uint32_t req_id, char *buf, uint32_t *len);
/* One request, one reply: returns the reply type; payload in buf. */
int raw_call(int fd, uint32_t type, uint32_t tx_id, const void *payload,
	     uint32_t len, char *buf, uint32_t *rlen);
/* Convenience: request built from NUL-joined strings; returns 0 or the
 * negative errno named by an XS_ERROR reply. */
int xs_req(int fd, uint32_t type, uint32_t tx_id, char *out,
	   unsigned int nstr, ...);
/* Next watch event within timeout: 1 and path/token, or 0 if none. */
int raw_event(int fd, char *path, char *token, int timeout_ms);

/* libhvxs handle on the test daemon. */
struct hvxs *lib_open(void);

/* Read a node's value (as dom0), or NULL. */
char *dom0_read(const char *path);

#endif /* XS_TEST_HARNESS_H */
