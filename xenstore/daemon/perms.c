/*
 * perms.c - node permissions (see perms.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perms.h"

static const char perm_letters[] = "nrwb";	/* index = access bits */

int perm_parse(const char *s, struct xs_perm *out)
{
	const char *l = strchr(perm_letters, s[0]);
	unsigned long id;
	char *end;

	if (!s[0] || !l)
		return -EINVAL;
	if (s[1] < '0' || s[1] > '9')
		return -EINVAL;
	errno = 0;
	id = strtoul(s + 1, &end, 10);
	if (errno || *end || id > XS_DOMID_MAX)
		return -EINVAL;
	out->domid = (uint16_t)id;
	out->access = (uint8_t)(l - perm_letters);
	return 0;
}

int perms_parse_list(const char *buf, size_t len, unsigned int n,
		     struct xs_perm *out)
{
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const char *nul;

		if (off >= len)
			return -EINVAL;
		nul = memchr(buf + off, '\0', len - off);
		if (!nul)
			return -EINVAL;
		if (perm_parse(buf + off, &out[i]))
			return -EINVAL;
		off = (size_t)(nul - buf) + 1;
	}
	return 0;
}

int perm_format(const struct xs_perm *p, char *buf, size_t size)
{
	return snprintf(buf, size, "%c%u", perm_letters[p->access & 3],
			p->domid);
}

static bool perm_names(const struct xs_perm *p, const struct xs_who *who)
{
	return p->domid == who->domid || p->domid == XS_DOMID_ANY ||
	       (who->target != XS_DOMID_INVALID && p->domid == who->target);
}

unsigned int perms_access(const struct xs_perm *perms, unsigned int n,
			  const struct xs_who *who)
{
	const unsigned int all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
	unsigned int i;

	if (who->privileged)
		return all;
	if (n == 0)
		return XS_PERM_NONE;
	/* The owner (and the owner's controller) gets everything. */
	if (perms[0].domid == who->domid ||
	    (who->target != XS_DOMID_INVALID && perms[0].domid == who->target))
		return all;
	for (i = 1; i < n; i++)
		if (perm_names(&perms[i], who))
			return perms[i].access;
	return perms[0].access;
}
