/*
 * path.h - xenstore path rules (pure functions, unit-tested).
 *
 * A path is absolute ("/a/b") or, relative to a connection's home
 * /local/domain/<domid>, a path without a leading '/'. Special watch
 * names start with '@'. Characters are limited to [A-Za-z0-9-/_@]; no
 * "//", no trailing '/' except the root itself, never empty.
 */
#ifndef XS_PATH_H
#define XS_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* Longest home prefix, "/local/domain/65535". */
#define PATH_HOME_MAX 24

/* Writes "/local/domain/<domid>" to buf (PATH_HOME_MAX bytes). */
void path_home(unsigned int domid, char *buf);

/*
 * Canonicalise `in` for a connection of `domid`: resolve a relative path
 * against the home, check characters, slashes and lengths. `max_sub` is
 * the path-max quota (0 = none): it limits the length below the
 * /local/domain/<N>/ prefix when there is one, else the whole path.
 * On success *out is a malloc'd absolute path (or the special name) and
 * *relative says whether `in` was relative.
 * Returns 0, -EINVAL for a bad path, -ENOMEM.
 */
int path_canonical(const char *in, unsigned int domid, bool allow_special,
		   size_t max_sub, char **out, bool *relative);

/* True if `path` is `parent` or below it, at most `depth` levels down
 * (depth < 0: any depth). "/" is the parent of everything. */
bool path_is_child(const char *path, const char *parent, int depth);

/* The parent of an absolute path other than "/" (malloc'd), or NULL. */
char *path_parent(const char *path);

/* The last component of an absolute path other than "/". */
const char *path_basename(const char *path);

/* Join a parent and a child name into a malloc'd path. */
char *path_join(const char *parent, const char *name);

#endif /* XS_PATH_H */
