/*
 * xenstore.h - libhvxs, hv's xenstore client library.
 *
 * Talks the xenstore wire protocol (<public/io/xs_wire.h>) to xenstored
 * over its UNIX socket. Every call is thread-safe: requests on one handle
 * are serialised by a mutex, and watch events are kept on their own queue
 * so they never get mixed up with replies (which are matched by req_id).
 *
 * Conventions:
 *   - Functions returning int give 0 on success and -1 with errno set on
 *     failure; functions returning a pointer give NULL and set errno.
 *   - errno is the error the daemon named (ENOENT, EACCES, EINVAL, EEXIST,
 *     ENOSPC, E2BIG, EAGAIN, EPERM, ENOSYS, EBUSY...), or a local one:
 *     ENOMEM, EPIPE/ECONNRESET when the daemon went away, E2BIG when a
 *     request would exceed XENSTORE_PAYLOAD_MAX.
 *   - Returned buffers are malloc'd, owned by the caller, freed with free().
 *   - `t` is a transaction from hvxs_transaction_start(), or HVXS_TX_NONE.
 */
#ifndef HVXS_XENSTORE_H
#define HVXS_XENSTORE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct hvxs;
typedef uint32_t hvxs_tx_t;
#define HVXS_TX_NONE 0u

/* Default socket; the environment variable XENSTORED_PATH overrides it. */
#define HVXS_DEFAULT_SOCKET "/run/xenstored/socket"

/* Access bits of a permission entry. */
#define HVXS_PERM_NONE  0u
#define HVXS_PERM_READ  1u
#define HVXS_PERM_WRITE 2u
#define HVXS_PERM_BOTH  (HVXS_PERM_READ | HVXS_PERM_WRITE)

struct hvxs_perm {
	uint32_t domid;
	uint32_t perms;		/* HVXS_PERM_* */
};

/*
 * Connect. IN socket_path: NULL means $XENSTORED_PATH, else
 * HVXS_DEFAULT_SOCKET. Returns the handle, or NULL (errno from socket()/
 * connect(), ENOMEM).
 */
struct hvxs *hvxs_open(const char *socket_path);

/* Disconnect and free everything (pending watch events included). */
void hvxs_close(struct hvxs *h);

/*
 * Read a node. OUT *len (may be NULL): value length. Returns the value
 * with an extra NUL appended (not counted in *len), or NULL.
 */
void *hvxs_read(struct hvxs *h, hvxs_tx_t t, const char *path,
		unsigned int *len);

/* Write len bytes at path, creating missing parents. */
int hvxs_write(struct hvxs *h, hvxs_tx_t t, const char *path,
	       const void *data, unsigned int len);

/* Create path (and parents) with an empty value if absent. */
int hvxs_mkdir(struct hvxs *h, hvxs_tx_t t, const char *path);

/* Remove path and everything below it; absent is fine if the parent
 * exists (else ENOENT). */
int hvxs_rm(struct hvxs *h, hvxs_tx_t t, const char *path);

/*
 * List the children of path. OUT *num: count. Returns an array of *num
 * names, in one allocation (free the array only), or NULL.
 */
char **hvxs_directory(struct hvxs *h, hvxs_tx_t t, const char *path,
		      unsigned int *num);

/* Permissions of path: array of *num entries, entry 0 is the owner. */
struct hvxs_perm *hvxs_get_perms(struct hvxs *h, hvxs_tx_t t,
				 const char *path, unsigned int *num);

/* Replace path's permissions (owner first; only dom0 may change it). */
int hvxs_set_perms(struct hvxs *h, hvxs_tx_t t, const char *path,
		   const struct hvxs_perm *perms, unsigned int num);

/* Parse "r5"-style text into *p / format *p into buf (>= 8 bytes).
 * Return 0, or -1 with errno EINVAL. */
int hvxs_perm_from_string(const char *s, struct hvxs_perm *p);
int hvxs_perm_to_string(const struct hvxs_perm *p, char *buf,
			unsigned int size);

/*
 * Watch path (and below) with token; it fires once at once. depth < 0:
 * unlimited, else levels below path (server feature WATCHDEPTH).
 * The first watch starts a reader thread for this handle.
 */
int hvxs_watch(struct hvxs *h, const char *path, const char *token);
int hvxs_watch_depth(struct hvxs *h, const char *path, const char *token,
		     int depth);
int hvxs_unwatch(struct hvxs *h, const char *path, const char *token);

/* A descriptor that polls readable while watch events are queued. */
int hvxs_fileno(struct hvxs *h);

/*
 * Take the next watch event: vec[HVXS_WATCH_PATH] and
 * vec[HVXS_WATCH_TOKEN], in one allocation; OUT *num = 2.
 * hvxs_read_watch blocks; hvxs_check_watch returns NULL with EAGAIN when
 * nothing is queued. Both return NULL with EPIPE once the daemon is gone.
 */
#define HVXS_WATCH_PATH  0
#define HVXS_WATCH_TOKEN 1
char **hvxs_read_watch(struct hvxs *h, unsigned int *num);
char **hvxs_check_watch(struct hvxs *h);

/* Start a transaction: returns its id, or HVXS_TX_NONE with errno. */
hvxs_tx_t hvxs_transaction_start(struct hvxs *h);
/* Commit (abort = false) or abort. Commit may fail with EAGAIN: the
 * caller redoes the whole transaction. */
int hvxs_transaction_end(struct hvxs *h, hvxs_tx_t t, bool abort);

/* Domain management (dom0 only, except get_domain_path). */
int hvxs_introduce(struct hvxs *h, unsigned int domid, uint64_t gfn,
		   uint32_t port);
int hvxs_release(struct hvxs *h, unsigned int domid);
int hvxs_resume(struct hvxs *h, unsigned int domid);
int hvxs_set_target(struct hvxs *h, unsigned int domid, unsigned int target);
/* Returns 1 if introduced, 0 if not, -1 with errno. */
int hvxs_is_domain_introduced(struct hvxs *h, unsigned int domid);
/* Returns "/local/domain/<domid>" (malloc'd) or NULL. */
char *hvxs_get_domain_path(struct hvxs *h, unsigned int domid);

/*
 * XS_CONTROL with argv[0] the command (e.g. "log", "quota"): returns the
 * daemon's text reply (malloc'd, NUL-terminated) or NULL.
 */
char *hvxs_control(struct hvxs *h, const char *const *argv, unsigned int argc);

/*
 * Raw request, for tools and tests: send `type` with the payload, wait for
 * the reply. OUT *reply (malloc'd, NUL appended) and *reply_len. An
 * XS_ERROR reply returns -1 with errno set.
 */
int hvxs_request(struct hvxs *h, uint32_t type, hvxs_tx_t t,
		 const void *payload, unsigned int len, void **reply,
		 unsigned int *reply_len);

#ifdef __cplusplus
}
#endif

#endif /* HVXS_XENSTORE_H */
