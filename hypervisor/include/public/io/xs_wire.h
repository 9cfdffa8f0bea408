/*
 * xs_wire.h - the xenstore wire protocol (guest and tools ABI).
 *
 * Every value here is ABI shared with Xen's xenstore: Linux's xenbus (in
 * dom0 and in guests) and Xen's tools speak it unchanged. Facts follow
 * docs/split-drivers.md section 1; the wording and layout are hv's own.
 *
 * Only fixed-width types are used and nothing else is included beyond
 * <stdint.h>, so the header compiles on its own in C and C++.
 */
#ifndef HV_PUBLIC_IO_XS_WIRE_H
#define HV_PUBLIC_IO_XS_WIRE_H

#include <stdint.h>

/*
 * Message types, carried in xsd_sockmsg.type. Requests and their replies
 * share the type; a failed request is answered with XS_ERROR instead.
 */
enum xsd_sockmsg_type {
	XS_CONTROL              = 0,	/* cmd\0[arg\0]... (dom0 only) */
	XS_DIRECTORY            = 1,	/* path\0 -> name\0name\0... */
	XS_READ                 = 2,	/* path\0 -> value bytes */
	XS_GET_PERMS            = 3,	/* path\0 -> perm\0perm\0... */
	XS_WATCH                = 4,	/* path\0token\0[depth\0] -> OK\0 */
	XS_UNWATCH              = 5,	/* path\0token\0 -> OK\0 */
	XS_TRANSACTION_START    = 6,	/* \0 -> decimal id\0 */
	XS_TRANSACTION_END      = 7,	/* T\0 or F\0 -> OK\0 (or EAGAIN) */
	XS_INTRODUCE            = 8,	/* domid\0gfn\0evtchn\0 (dom0 only) */
	XS_RELEASE              = 9,	/* domid\0 (dom0 only) */
	XS_GET_DOMAIN_PATH      = 10,	/* domid\0 -> /local/domain/N\0 */
	XS_WRITE                = 11,	/* path\0value -> OK\0 */
	XS_MKDIR                = 12,	/* path\0 -> OK\0 */
	XS_RM                   = 13,	/* path\0 -> OK\0 */
	XS_SET_PERMS            = 14,	/* path\0perm\0perm\0... -> OK\0 */
	XS_WATCH_EVENT          = 15,	/* server to client: path\0token\0 */
	XS_ERROR                = 16,	/* reply only: ENAME\0 */
	XS_IS_DOMAIN_INTRODUCED = 17,	/* domid\0 -> T\0 or F\0 */
	XS_RESUME               = 18,	/* domid\0 (dom0 only) */
	XS_SET_TARGET           = 19,	/* domid\0tdomid\0 (dom0 only) */
	/* 20 was RESTRICT; it is gone and the number stays invalid. */
	XS_RESET_WATCHES        = 21,	/* \0 -> OK\0 */
	XS_DIRECTORY_PART       = 22,	/* path\0offset\0 -> gen\0names... */
	XS_GET_FEATURE          = 23,	/* [domid\0] -> value\0 */
	XS_SET_FEATURE          = 24,	/* domid\0value\0 -> OK\0 */
	XS_GET_QUOTA            = 25,	/* [[domid\0]name\0] -> value\0 */
	XS_SET_QUOTA            = 26,	/* [domid\0]name\0value\0 -> OK\0 */
	XS_TYPE_COUNT,			/* one past the highest defined type */
	XS_INVALID              = 0xffff /* never a valid type */
};

/* The old name of XS_CONTROL. */
#define XS_DEBUG XS_CONTROL

/*
 * The header in front of every message, in both directions, followed by
 * `len` payload bytes. req_id and tx_id are echoed in the reply; watch
 * events carry 0 in both.
 */
struct xsd_sockmsg {
	uint32_t type;		/* enum xsd_sockmsg_type */
	uint32_t req_id;	/* chosen by the client, echoed back */
	uint32_t tx_id;		/* transaction, 0 = none */
	uint32_t len;		/* payload bytes, at most XENSTORE_PAYLOAD_MAX */
};

/* Index of the fields of a watch event payload split at its NULs. */
enum xs_watch_type {
	XS_WATCH_PATH  = 0,
	XS_WATCH_TOKEN = 1
};

/*
 * Error replies carry an errno *name* and a NUL. This table lists every
 * name that may appear on the wire, with the Linux errno number each
 * stands for; a server maps anything else to the first entry (EINVAL).
 * Define XS_WIRE_WANT_ERRORS before including to get the table.
 */
struct xsd_errors {
	int32_t errnum;		/* Linux errno value */
	char errstring[12];	/* its name, NUL-terminated */
};

#ifdef XS_WIRE_WANT_ERRORS
static const struct xsd_errors xsd_errors[] __attribute__((unused)) = {
	{ 22,  "EINVAL" },
	{ 13,  "EACCES" },
	{ 17,  "EEXIST" },
	{ 21,  "EISDIR" },
	{ 2,   "ENOENT" },
	{ 12,  "ENOMEM" },
	{ 28,  "ENOSPC" },
	{ 5,   "EIO" },
	{ 39,  "ENOTEMPTY" },
	{ 38,  "ENOSYS" },
	{ 30,  "EROFS" },
	{ 16,  "EBUSY" },
	{ 11,  "EAGAIN" },
	{ 106, "EISCONN" },
	{ 7,   "E2BIG" },
	{ 1,   "EPERM" },
};
#define XSD_ERRORS_COUNT 16
#endif

/*
 * The shared page between a domain and the store: two byte rings of
 * XENSTORE_RING_SIZE each. Indices run freely over uint32_t; byte i of a
 * stream lives at MASK_XENSTORE_IDX(i). A producer may only overwrite
 * bytes its consumer has passed, i.e. it has
 * XENSTORE_RING_SIZE - (prod - cons) bytes of room.
 */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];	/* 0: guest -> store requests */
	char rsp[XENSTORE_RING_SIZE];	/* 1024: replies and watch events */
	XENSTORE_RING_IDX req_cons;	/* 2048: written by the store */
	XENSTORE_RING_IDX req_prod;	/* 2052: written by the guest */
	XENSTORE_RING_IDX rsp_cons;	/* 2056: written by the guest */
	XENSTORE_RING_IDX rsp_prod;	/* 2060: written by the store */
	uint32_t server_features;	/* 2064: XENSTORE_SERVER_FEATURE_* */
	uint32_t connection;		/* 2068: XENSTORE_CONNECTED/RECONNECT */
	uint32_t error;			/* 2072: XENSTORE_ERROR_* */
	uint32_t evtchn_port;		/* 2076: port to bind, 0 = INTRODUCE's */
};

/* Payload limit, both directions; a client exceeding it is dropped. */
#define XENSTORE_PAYLOAD_MAX 4096

/* Path limits: absolute paths, and paths relative to the domain home. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* server_features bits; the store only ever sets them. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1	/* `connection` handshake */
#define XENSTORE_SERVER_FEATURE_ERROR        2	/* `error` field */
#define XENSTORE_SERVER_FEATURE_WATCHDEPTH   4	/* WATCH takes a depth */
#define XENSTORE_SERVER_FEATURE_DOMID_ANY    8	/* DOMID_ANY in perms */

/* Values of `connection`. */
#define XENSTORE_CONNECTED 0	/* normal operation */
#define XENSTORE_RECONNECT 1	/* guest asked for a reset */

/* Values of `error`. */
#define XENSTORE_ERROR_NONE    0	/* all well */
#define XENSTORE_ERROR_COMM    1	/* communication failure */
#define XENSTORE_ERROR_RINGIDX 2	/* an index out of range */
#define XENSTORE_ERROR_PROTO   3	/* protocol violation, e.g. oversize */

#endif /* HV_PUBLIC_IO_XS_WIRE_H */
