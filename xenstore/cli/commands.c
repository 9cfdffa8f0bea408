/*
 * commands.c - the CLI's subcommands and their table.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

struct cli_opts cli_opts = { .nr_watches = -1, .depth = -1 };

static bool tx_always(int argc) { return true; }
static bool tx_never(int argc) { return false; }
static bool tx_read(int argc) { return argc > 1; }
static bool tx_write(int argc) { return argc > 2; }

static int cmd_read(struct hvxs *h, hvxs_tx_t t, int argc, char **argv)
{
	unsigned int len;
	int i;

	for (i = 0; i < argc; i++) {
		char *val = hvxs_read(h, t, argv[i], &len);

		if (!val) {
			warnx("couldn't read path %s", argv[i]);
			return 1;
		}
		if (cli_opts.prefix)
			out_printf("%s: ", argv[i]);
		if (cli_opts.raw)
			out_raw(val, len);
		else
			out_printf("%s\n", sanitise(val, len));
		free(val);
	}
	return 0;
}

static int cmd_write(struct hvxs *h, hvxs_tx_t t, int argc, char **argv)
{
	unsigned int len;
	int i, rc;

	for (i = 0; i + 1 < argc; i += 2) {
		char *val;

		if (cli_opts.raw) {
			val = strdup(argv[i + 1]);
			if (!val)
				err(1, "malloc");
			len = (unsigned int)strlen(val);
		} else {
			val = unsanitise(argv[i + 1], &len);
		}
		rc = hvxs_write(h, t, argv[i], val, len);
		free(val);
		if (rc) {
			warnx("could not write path %s", argv[i]);
			return 1;
		}
	}
	return 0;
}

static int cmd_mkdir(struct hvxs *h, hvxs_tx_t t, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (hvxs_mkdir(h, t, argv[i])) {
			warnx("could not create path %s", argv[i]);
			return 1;
		}
	return 0;
}

static int rm_one(struct hvxs *h, hvxs_tx_t t, const char *path)
{
	if (hvxs_rm(h, t, path)) {
		warnx("could not remove path %s", path);
		return 1;
	}
	return 0;
}

/* With -t, also remove parents left empty and without a value. */
static int rm_tidy(struct hvxs *h, hvxs_tx_t t, const char *path)
{
	char *p = strdup(path), *slash;
	unsigned int len, num;
	int rc = 0;

	if (!p)
		err(1, "malloc");
	for (;;) {
		char *val;
		char **list;

		rc = rm_one(h, t, p);
		if (rc)
			break;
		slash = strrchr(p, '/');
		if (!slash || slash == p)
			break;
		*slash = '\0';
		val = hvxs_read(h, t, p, &len);
		list = val && len == 0 ? hvxs_directory(h, t, p, &num) : NULL;
		free(val);
		free(list);
		if (!list || num != 0)
			break;
	}
	free(p);
	return rc;
}

static int cmd_rm(struct hvxs *h, hvxs_tx_t t, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (cli_opts.tidy ? rm_tidy(h, t, argv[i]) :
				    rm_one(h, t, argv[i]))
			return 1;
	return 0;
}

static int cmd_exists(struct hvxs *h, hvxs_tx_t t, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		char *val = hvxs_read(h, t, argv[i], NULL);

		if (!val)
			return 1;
		free(val);
	}
	return 0;
}

static int cmd_list(struct hvxs *h, hvxs_tx_t t, int argc, char **argv)
{
	unsigned int num, j;
	int i;

	for (i = 0; i < argc; i++) {
		char **list = hvxs_directory(h, t, argv[i], &num);
		const char *pref = strcmp(argv[i], "/") ? argv[i] : "";

		if (!list) {
			warnx("could not list path %s", argv[i]);
			return 1;
		}
		for (j = 0; j < num; j++) {
			if (cli_opts.prefix)
				out_printf("%s/", pref);
			out_printf("%s\n", list[j]);
		}
		free(list);
	}
	return 0;
}

/* xenstore-ls layout (Xen's): indent, name, = "value", optional perms. */
#define LS_TAG_LEN 8	/* strlen(" = \"...\"") */
static int ls_max_width = 80;
static int ls_desired_width = 60;

static void ls_perms(struct hvxs *h, const char *path, const char *name)
{
	struct hvxs_perm *perms;
	unsigned int n, i;
	char one[16];

	perms = hvxs_get_perms(h, HVXS_TX_NONE, path, &n);
	if (!perms) {
		warn("\ncould not access permissions for %s", name);
		return;
	}
	fputs("  (", stdout);
	for (i = 0; i < n; i++) {
		if (i)
			putchar(',');
		if (!hvxs_perm_to_string(&perms[i], one, sizeof(one)))
			fputs(one, stdout);
	}
	putchar(')');
	free(perms);
}

static void ls_tree(struct hvxs *h, const char *path, int depth)
{
	unsigned int num, i, len;
	char **names = hvxs_directory(h, HVXS_TX_NONE, path, &num);

	if (!names) {
		/* A node vanishing while we recurse is not an error. */
		if (depth && errno == ENOENT)
			return;
		err(1, "xs_directory (%s)", path);
	}
	for (i = 0; i < num; i++) {
		char *child, *val;
		int wid = 0;

		if (asprintf(&child, "%s%s%s", path,
			     path[strlen(path) - 1] == '/' ? "" : "/",
			     names[i]) < 0)
			err(1, "malloc");
		if (cli_opts.flat) {
			fputs(child, stdout);
		} else {
			for (; wid < depth; wid++)
				putchar(' ');
			wid += printf("%.*s", ls_max_width - LS_TAG_LEN - wid,
				      names[i]);
		}
		val = hvxs_read(h, HVXS_TX_NONE, child, &len);
		if (!val) {
			printf(":\n");
		} else if (ls_max_width < wid + (int)len + LS_TAG_LEN) {
			printf(" = \"%.*s\\...\"",
			       ls_max_width - LS_TAG_LEN - wid,
			       sanitise(val, len));
		} else {
			wid += printf(" = \"%s\"", sanitise(val, len));
			if (cli_opts.prefix) {
				putchar(' ');
				for (wid++; wid < ls_desired_width &&
					    wid < ls_max_width; wid++)
					putchar((wid & 1) ? '.' : ' ');
			}
		}
		free(val);
		if (cli_opts.prefix)
			ls_perms(h, child, names[i]);
		putchar('\n');
		ls_tree(h, child, depth + 1);
		free(child);
	}
	free(names);
}

static int cmd_ls(struct hvxs *h, hvxs_tx_t t, int argc, char **argv)
{
	struct winsize ws = { 0 };
	int i;

	if (cli_opts.flat) {
		ls_max_width = INT_MAX / 2;
		ls_desired_width = 0;
	} else if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws)) {
		ls_max_width = ws.ws_col - 2;
	}
	if (argc == 0)
		ls_tree(h, "/", 0);
	for (i = 0; i < argc; i++)
		ls_tree(h, argv[i], 0);
	fflush(stdout);
	return 0;
}

static int chmod_path(struct hvxs *h, hvxs_tx_t t, char *path,
		      const struct hvxs_perm *perms, unsigned int n,
		      bool upto, bool recurse)
{
	unsigned int num, i;
	char **kids;
	char *slash;

	if (!path[0])
		return 0;
	if (hvxs_set_perms(h, t, path, perms, n))
		err(1, "Error occurred setting permissions on '%s'", path);
	if (upto) {
		slash = strrchr(path, '/');
		if (!slash)
			errx(1, "Unable to locate path separator '/' in '%s'",
			     path);
		*slash = '\0';
		chmod_path(h, t, path, perms, n, true, false);
		*slash = '/';
	}
	if (!recurse)
		return 0;
	kids = hvxs_directory(h, t, path, &num);
	for (i = 0; kids && i < num; i++) {
		char *child;

		if (asprintf(&child, "%s/%s", path, kids[i]) < 0)
			err(1, "malloc");
		chmod_path(h, t, child, perms, n, false, true);
		free(child);
	}
	free(kids);
	return 0;
}

static int cmd_chmod(struct hvxs *h, hvxs_tx_t t, int argc, char **argv)
{
	struct hvxs_perm *perms;
	unsigned int n = (unsigned int)argc - 1, i;
	char *path;
	int rc;

	if (n == 0)
		errx(1, "Usage: xenstore-chmod [-h] [-u] [-r] key "
		     "<mode [modes...]>");
	perms = calloc(n, sizeof(*perms));
	path = strdup(argv[0]);
	if (!perms || !path)
		err(1, "malloc");
	for (i = 0; i < n; i++)
		if (hvxs_perm_from_string(argv[i + 1], &perms[i]))
			errx(1, "Invalid permission specification: '%c'",
			     argv[i + 1][0]);
	rc = chmod_path(h, t, path, perms, n, cli_opts.upto,
			cli_opts.recurse);
	free(path);
	free(perms);
	return rc;
}

static int cmd_watch(struct hvxs *h, hvxs_tx_t t, int argc, char **argv)
{
	int i, count;

	for (i = 0; i < argc; i++) {
		if (cli_opts.depth < 0 && hvxs_watch(h, argv[i], argv[i]))
			errx(1, "Unable to add watch on %s\n", argv[i]);
		if (cli_opts.depth >= 0 &&
		    hvxs_watch_depth(h, argv[i], argv[i], cli_opts.depth))
			errx(1, "Unable to add watch on %s with depth %d\n",
			     argv[i], cli_opts.depth);
	}
	for (count = 0; cli_opts.nr_watches < 0 ||
			count < cli_opts.nr_watches; count++) {
		char **vec = hvxs_read_watch(h, NULL);

		if (!vec) {
			if (errno == EPIPE)
				errx(1, "xenstored went away");
			continue;
		}
		printf("%s\n", vec[HVXS_WATCH_PATH]);
		fflush(stdout);
		free(vec);
	}
	return 0;
}

const struct cli_cmd cli_cmds[] = {
	{ "read", "[-h] [-p] [-R] key [...]", "pR", cmd_read, tx_read, 1 },
	{ "write", "[-h] [-R] key value [...]", "R", cmd_write, tx_write, 2 },
	{ "mkdir", "[-h] key [...]", "", cmd_mkdir, tx_always, 1 },
	{ "rm", "[-h] [-t] key [...]", "t", cmd_rm, tx_always, 1 },
	{ "exists", "[-h] key", "", cmd_exists, tx_always, 1 },
	{ "list", "[-h] [-p] key [...]", "p", cmd_list, tx_always, 1 },
	{ "ls", "[-h] [-f] [-p] [path]", "fp", cmd_ls, tx_never, 0 },
	{ "chmod", "[-h] [-u] [-r] key <mode [modes...]>", "ur", cmd_chmod,
	  tx_always, 2 },
	{ "watch", "[-h] [-n NR] [-d DEPTH] key", "n:d:", cmd_watch,
	  tx_never, 1 },
};

const unsigned int cli_ncmds = sizeof(cli_cmds) / sizeof(cli_cmds[0]);
