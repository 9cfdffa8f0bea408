/*
 * hvctl.h - the hvctl command table and what its commands share.
 */
#ifndef HVCTL_H
#define HVCTL_H

/* Exit statuses: 0 done, 1 the operation failed, 2 bad usage. */
#define HVCTL_OK	0
#define HVCTL_FAILED	1
#define HVCTL_USAGE	2

struct hvctl_opts {
	const char *device;	/* privcmd path, NULL = the default */
};

struct hvctl_cmd {
	const char *name;
	int (*run)(const struct hvctl_opts *o, int argc, char **argv);
	const char *args;	/* usage after the name, "" for none */
	const char *help;	/* one line */
};

extern const struct hvctl_cmd hvctl_cmds[];

/* Commands (one file per group). argv[0] is the command name. */
int cmd_list(const struct hvctl_opts *o, int argc, char **argv);
int cmd_version(const struct hvctl_opts *o, int argc, char **argv);

#endif /* HVCTL_H */
