/*
 * main.c - hvctl, the dom0 command-line tool: global options and the
 * command table. Each command lives in its own file.
 *
 *   hvctl [-d|--device PATH] <command> [args]
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "hvctl.h"

const struct hvctl_cmd hvctl_cmds[] = {
	{ "list", cmd_list, "",
	  "list the domains: name, id, memory (MiB), vCPUs, state, CPU time" },
	{ "version", cmd_version, "",
	  "print the hypervisor's version, changeset and guest types" },
	{ NULL, NULL, NULL, NULL },
};

static void usage(FILE *fp)
{
	const struct hvctl_cmd *c;

	fprintf(fp, "Usage: hvctl [-d|--device PATH] <command> [args]\n"
		    "  -d, --device PATH  privcmd device (default /dev/xen/privcmd)\n"
		    "  -h, --help         this text\n"
		    "Commands:\n");
	for (c = hvctl_cmds; c->name; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->help);
}

static const struct hvctl_cmd *lookup(const char *name)
{
	const struct hvctl_cmd *c;

	for (c = hvctl_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int main(int argc, char **argv)
{
	FILE *out = stdout, *err = stderr;
	static const struct option longopts[] = {
		{ "device", 1, NULL, 'd' },
		{ "help", 0, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hvctl_opts o = { NULL };
	const struct hvctl_cmd *c;
	int ch;

	/*
	 * '+': stop at the command name; its own arguments are its own.
	 * ':': a missing argument is told apart from an unknown option.
	 */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:d:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			o.device = optarg;
			break;
		case 'h':
			usage(out);
			return HVCTL_OK;
		case ':':
			fprintf(err, "hvctl: option %s needs a PATH\n", argv[optind - 1]);
			usage(err);
			return HVCTL_USAGE;
		default:
			fprintf(err, "hvctl: bad option '%s'\n", argv[optind - 1]);
			usage(err);
			return HVCTL_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(err, "hvctl: no command given\n");
		usage(err);
		return HVCTL_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		usage(out);
		return HVCTL_OK;
	}
	c = lookup(argv[optind]);
	if (!c) {
		fprintf(err, "hvctl: unknown command '%s'\n", argv[optind]);
		usage(err);
		return HVCTL_USAGE;
	}
	return c->run(&o, argc - optind, argv + optind);
}
