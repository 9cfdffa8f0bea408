/*
 * path.c - xenstore path rules (see path.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/io/xs_wire.h>

#include "path.h"

static const char path_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-/_@";

void path_home(unsigned int domid, char *buf)
{
	snprintf(buf, PATH_HOME_MAX, "/local/domain/%u", domid);
}

/* Length of the /local/domain/<N>/ prefix of `p`, 0 if it has none. */
static size_t local_prefix_len(const char *p)
{
	static const char pre[] = "/local/domain/";
	size_t n = sizeof(pre) - 1, digits = 0;

	if (strncmp(p, pre, n))
		return 0;
	while (p[n + digits] >= '0' && p[n + digits] <= '9')
		digits++;
	if (digits == 0 || digits > 5 || p[n + digits] != '/')
		return 0;
	return n + digits + 1;
}

static bool path_shape_ok(const char *p)
{
	size_t len = strlen(p);

	if (len == 0 || strspn(p, path_chars) != len)
		return false;
	if (strstr(p, "//"))
		return false;
	if (len > 1 && p[len - 1] == '/')
		return false;
	return true;
}

int path_canonical(const char *in, unsigned int domid, bool allow_special,
		   size_t max_sub, char **out, bool *relative)
{
	char home[PATH_HOME_MAX];
	char *p = NULL;
	size_t sub;
	int rc = -EINVAL;

	*out = NULL;
	if (!in || !*in || strlen(in) > XENSTORE_ABS_PATH_MAX)
		goto out;
	if (in[0] == '@' && !allow_special)
		goto out;
	if (strspn(in, path_chars) != strlen(in))
		goto out;

	*relative = in[0] != '/' && in[0] != '@';
	if (*relative) {
		path_home(domid, home);
		if (asprintf(&p, "%s/%s", home, in) < 0) {
			p = NULL;
			rc = -ENOMEM;
			goto out;
		}
	} else {
		p = strdup(in);
		if (!p) {
			rc = -ENOMEM;
			goto out;
		}
	}

	if (!path_shape_ok(p) || strlen(p) > XENSTORE_ABS_PATH_MAX)
		goto out;
	sub = strlen(p) - local_prefix_len(p);
	if (max_sub && sub > max_sub)
		goto out;

	*out = p;
	p = NULL;
	rc = 0;
out:
	free(p);
	return rc;
}

bool path_is_child(const char *path, const char *parent, int depth)
{
	size_t len = strlen(parent);
	int levels;
	const char *rest;

	if (strncmp(path, parent, len))
		return false;
	if (len == 1 && parent[0] == '/')
		rest = path + 1;		/* "/" is everyone's parent */
	else if (path[len] == '\0')
		return true;
	else if (path[len] != '/')
		return false;
	else
		rest = path + len + 1;

	if (depth < 0 || *rest == '\0')
		return true;
	levels = 1;
	for (; *rest; rest++)
		if (*rest == '/')
			levels++;
	return levels <= depth;
}

char *path_parent(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash || (slash == path && path[1] == '\0'))
		return NULL;
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

const char *path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

char *path_join(const char *parent, const char *name)
{
	char *p;

	if (asprintf(&p, "%s%s%s", parent,
		     strcmp(parent, "/") ? "/" : "", name) < 0)
		return NULL;
	return p;
}
