/*
 * cli.h - the xenstore CLI: one binary, one handler per subcommand.
 *
 * `xenstore <cmd> ...` or a link named `xenstore-<cmd>`; output formats
 * and exit codes follow Xen's xenstore-* tools (0 success, 1 failure or
 * bad usage; exists: 0 present, 1 absent).
 */
#ifndef XS_CLI_H
#define XS_CLI_H

#include <stdbool.h>

#include "xenstore.h"

struct cli_cmd {
	const char *name;
	const char *usage;
	const char *optstring;	/* getopt options besides -h */
	/* Runs once per attempt; returns the exit code. */
	int (*run)(struct hvxs *h, hvxs_tx_t t, int argc, char **argv);
	/* Whether the command runs inside a transaction for this argc. */
	bool (*wants_tx)(int argc);
	int min_args;
};

/* Options shared by handlers (set while parsing). */
struct cli_opts {
	bool prefix, raw, tidy, upto, recurse, flat;
	int nr_watches;		/* -1: forever */
	int depth;		/* -1: unlimited */
};
extern struct cli_opts cli_opts;

/* Output is buffered so a transaction retry can discard it. */
void out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_raw(const void *data, unsigned int len);
void out_reset(void);
void out_flush(void);

/* Xen-style escaping of values for display, and its inverse. */
const char *sanitise(const char *val, unsigned int len);
char *unsanitise(const char *in, unsigned int *len);

extern const struct cli_cmd cli_cmds[];
extern const unsigned int cli_ncmds;

#endif /* XS_CLI_H */
