/*
 * perms.h - node permissions (pure functions, unit-tested).
 *
 * A node carries a list of (domid, access). Entry 0 names the owner, who
 * has full access whatever its letter says; that letter is the access of
 * every domain not listed later. A privileged connection (dom0) can do
 * anything; a domain with a target (SET_TARGET) also matches entries
 * naming its target. On the wire an entry is one letter (n, r, w, b)
 * followed by the decimal domid: "r5".
 */
#ifndef XS_PERMS_H
#define XS_PERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XS_PERM_NONE   0x0
#define XS_PERM_READ   0x1
#define XS_PERM_WRITE  0x2
#define XS_PERM_OWNER  0x4	/* only ever computed, never stored */

/* Domid that matches every domain (feature DOMID_ANY), and "no target". */
#define XS_DOMID_ANY     0x7FF5u
#define XS_DOMID_INVALID 0x7FF4u
#define XS_DOMID_MAX     65535u

struct xs_perm {
	uint16_t domid;
	uint8_t access;		/* XS_PERM_READ | XS_PERM_WRITE */
};

/* Who is asking: the connection's domain, its target, its privilege. */
struct xs_who {
	unsigned int domid;
	unsigned int target;	/* XS_DOMID_INVALID if none */
	bool privileged;
};

/* Parse one "r5"-style entry. Returns 0 or -EINVAL. */
int perm_parse(const char *s, struct xs_perm *out);

/*
 * Parse `n` NUL-terminated entries starting at buf (which holds `len`
 * bytes). Returns 0, or -EINVAL if any entry is malformed or missing.
 */
int perms_parse_list(const char *buf, size_t len, unsigned int n,
		     struct xs_perm *out);

/* Format one entry into buf; returns its length (without NUL). */
int perm_format(const struct xs_perm *p, char *buf, size_t size);

/* The access bits (READ|WRITE|OWNER) `who` has on a node with `perms`. */
unsigned int perms_access(const struct xs_perm *perms, unsigned int n,
			  const struct xs_who *who);

#endif /* XS_PERMS_H */
