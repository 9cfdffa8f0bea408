/*
 * main.c - xenstore CLI entry: pick the subcommand (from argv[1], or from
 * a program name "xenstore-<cmd>"), parse options, run it, retrying the
 * whole command when its transaction ends with EAGAIN.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *prog;

static void usage(int code, const struct cli_cmd *cmd, bool with_name)
{
	unsigned int i;

	if (!cmd) {
		fprintf(stderr, "Usage: %s <mode> [-h] [...]\nmodes:", prog);
		for (i = 0; i < cli_ncmds; i++)
			fprintf(stderr, " %s", cli_cmds[i].name);
		fputc('\n', stderr);
		exit(code);
	}
	fprintf(stderr, "Usage: %s %s%s%s\n", prog, with_name ? cmd->name : "",
		with_name ? " " : "", cmd->usage);
	exit(code);
}

static const struct cli_cmd *lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < cli_ncmds; i++)
		if (!strcmp(cli_cmds[i].name, name))
			return &cli_cmds[i];
	return NULL;
}

static void parse_opts(const struct cli_cmd *cmd, bool with_name, int argc,
		       char **argv)
{
	char optstring[32];
	int c;

	snprintf(optstring, sizeof(optstring), "+h%s", cmd->optstring);
	while ((c = getopt(argc, argv, optstring)) != -1) {
		switch (c) {
		case 'h': usage(0, cmd, with_name); break;
		case 'p': cli_opts.prefix = true; break;
		case 'R': cli_opts.raw = true; break;
		case 't': cli_opts.tidy = true; break;
		case 'u': cli_opts.upto = true; break;
		case 'r': cli_opts.recurse = true; break;
		case 'f': cli_opts.flat = true; break;
		case 'n': cli_opts.nr_watches = atoi(optarg); break;
		case 'd': cli_opts.depth = atoi(optarg); break;
		default: usage(1, cmd, with_name);
		}
	}
}

static int run(const struct cli_cmd *cmd, int argc, char **argv)
{
	bool use_tx = cmd->wants_tx(argc);
	struct hvxs *h = hvxs_open(NULL);
	hvxs_tx_t t = HVXS_TX_NONE;
	int rc;

	if (!h)
		err(1, "xs_open");
	for (;;) {
		if (use_tx) {
			t = hvxs_transaction_start(h);
			if (t == HVXS_TX_NONE)
				errx(1, "couldn't start transaction");
		}
		rc = cmd->run(h, t, argc, argv);
		if (!use_tx || !hvxs_transaction_end(h, t, rc != 0))
			break;
		if (rc == 0 && errno == EAGAIN) {
			out_reset();
			continue;
		}
		errx(1, "couldn't end transaction");
	}
	out_flush();
	hvxs_close(h);
	return rc;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const struct cli_cmd *cmd;
	bool with_name = false;
	int nargs;

	prog = argv[0];
	base = base ? base + 1 : argv[0];
	if (!strncmp(base, "xenstore-", 9)) {
		cmd = lookup(base + 9);
		if (!cmd)
			errx(1, "unknown mode %s", base + 9);
	} else {
		if (argc < 2)
			usage(1, NULL, false);
		cmd = lookup(argv[1]);
		if (!cmd)
			errx(1, "unknown mode %s", argv[1]);
		with_name = true;
		argc--;
		argv++;
	}
	parse_opts(cmd, with_name, argc, argv);
	nargs = argc - optind;
	if (nargs < cmd->min_args)
		usage(1, cmd, with_name);
	if (!strcmp(cmd->name, "write") && nargs % 2)
		usage(1, cmd, with_name);
	return run(cmd, nargs, argv + optind);
}
