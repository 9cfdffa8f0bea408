/*
 * control.c - XS_CONTROL: daemon administration (dom0 only).
 *
 * Payload cmd\0[arg\0]...; replies are text with a trailing NUL. The
 * command set follows C xenstored where one exists (help, log, logfile,
 * print, check, memreport, quota) and adds:
 *
 *   trace <file>|off   start/stop the wire trace at run time;
 *   as-domain <domid>  make this connection speak as domain <domid> from
 *                      now on: its relative paths, permissions, target
 *                      relation and quotas are that domain's, exactly as
 *                      if it arrived on the domain's ring. It cannot be
 *                      undone (the connection is no longer privileged,
 *                      unless domid is 0). Only a privileged connection
 *                      can ask, so it grants nothing dom0 does not
 *                      already have; it exists so that tests and tools
 *                      can exercise domain-side behaviour over the UNIX
 *                      socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "core.h"
#include "domain.h"
#include "handlers.h"
#include "log.h"
#include "quota.h"
#include "store.h"

struct control_cmd {
	const char *name;
	const char *usage;
	int (*fn)(struct request *r, unsigned int argc, const char **argv);
};

static int ctl_help(struct request *r, unsigned int argc, const char **argv);

/* Cleared by the fuzzer: no commands that open files. */
bool control_allow_files = true;

static int ctl_log(struct request *r, unsigned int argc, const char **argv)
{
	int lvl;

	if (argc == 0)
		return reply_str(r, log_level_name(log_get_level()));
	if (!strcmp(argv[0], "on"))
		lvl = XS_LOG_DEBUG;
	else if (!strcmp(argv[0], "off"))
		lvl = XS_LOG_ERROR;
	else
		lvl = log_level_parse(argv[0]);
	if (lvl < 0)
		return -EINVAL;
	log_set_level((enum xs_log_level)lvl);
	return reply_ok(r);
}

static int ctl_logfile(struct request *r, unsigned int argc,
		       const char **argv)
{
	int rc;

	if (argc != 1)
		return -EINVAL;
	if (!control_allow_files)
		return -EACCES;
	rc = log_open_file(argv[0]);
	return rc ? rc : reply_ok(r);
}

static int ctl_trace(struct request *r, unsigned int argc, const char **argv)
{
	int rc = 0;

	if (argc != 1)
		return -EINVAL;
	if (!control_allow_files)
		return -EACCES;
	if (!strcmp(argv[0], "off"))
		log_trace_close();
	else
		rc = log_trace_open(argv[0]);
	return rc ? rc : reply_ok(r);
}

static int ctl_print(struct request *r, unsigned int argc, const char **argv)
{
	if (argc != 1)
		return -EINVAL;
	log_info("control: %s", argv[0]);
	return reply_ok(r);
}

static int ctl_check(struct request *r, unsigned int argc, const char **argv)
{
	return store_check() ? -EIO : reply_ok(r);
}

static int ctl_memreport(struct request *r, unsigned int argc,
			 const char **argv)
{
	const struct connection *c;
	unsigned int nconn = 0;
	char buf[128];

	list_for_each_entry(c, &connections, list)
		nconn++;
	snprintf(buf, sizeof(buf), "nodes %zu connections %u requests %llu",
		 store_count(), nconn, (unsigned long long)core_requests);
	return reply_str(r, buf);
}

/* quota | quota set <name> <val> | quota <domid> | quota max [-r] */
static int ctl_quota(struct request *r, unsigned int argc, const char **argv)
{
	char buf[1024];
	size_t len = 0;
	unsigned int domid;
	struct domain *d;
	int q;

	if (argc == 0) {
		for (q = 0; q < Q_COUNT; q++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						"%-17s: %8u\n", quota_name(q),
						quota_global[q]);
		return reply_str(r, buf);
	}
	if (!strcmp(argv[0], "set")) {
		char *end;
		unsigned long v;

		if (argc != 3 || (q = quota_lookup(argv[1])) < 0)
			return -EINVAL;
		errno = 0;
		v = strtoul(argv[2], &end, 10);
		if (errno || *end || !*argv[2] || v > 0xffffffffu)
			return -EINVAL;
		quota_global[q] = (unsigned int)v;
		return reply_ok(r);
	}
	if (!strcmp(argv[0], "max")) {
		for (q = 0; q < Q_COUNT; q++) {
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						"%-17s: %8u\n", quota_name(q),
						quota_max_seen[q]);
			if (argc > 1 && !strcmp(argv[1], "-r"))
				quota_max_seen[q] = 0;
		}
		return reply_str(r, buf);
	}
	if (parse_domid(argv[0], &domid))
		return -EINVAL;
	d = domain_find(domid);
	if (!d)
		return -ENOENT;
	len = (size_t)snprintf(buf, sizeof(buf), "Domain %u:\n%-17s: %8u "
			       "(max %8u)\n", domid, "nodes",
			       domain_nodes(domid), d->quota[Q_NODES]);
	for (q = 1; q < Q_COUNT; q++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"%-17s: (max %8u)\n", quota_name(q),
					d->quota[q]);
	return reply_str(r, buf);
}

static int ctl_as_domain(struct request *r, unsigned int argc,
			 const char **argv)
{
	unsigned int domid;

	if (argc != 1 || parse_domid(argv[0], &domid))
		return -EINVAL;
	/* Reply first: it is still the privileged connection answering. */
	reply_ok(r);
	log_info("conn %u: now speaking as domain %u", r->conn->id, domid);
	conn_set_domid(r->conn, domid);
	return 0;
}

static const struct control_cmd commands[] = {
	{ "help", "", ctl_help },
	{ "log", "[error|warning|info|debug|on|off]", ctl_log },
	{ "logfile", "<file>", ctl_logfile },
	{ "trace", "<file>|off", ctl_trace },
	{ "print", "<string>", ctl_print },
	{ "check", "", ctl_check },
	{ "memreport", "", ctl_memreport },
	{ "quota", "[set <name> <val>|<domid>|max [-r]]", ctl_quota },
	{ "as-domain", "<domid>", ctl_as_domain },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int ctl_help(struct request *r, unsigned int argc, const char **argv)
{
	char buf[1024];
	size_t len = 0, i;

	buf[0] = '\0';
	for (i = 0; i < NCOMMANDS; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"%s %s\n", commands[i].name,
					commands[i].usage);
	return reply_str(r, buf);
}

int do_control(struct request *r)
{
	const char *vec[8];
	unsigned int n = req_strings(r, vec, 8);
	size_t i;

	if (n == 0 || n > 8)
		return -EINVAL;
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(vec[0], commands[i].name))
			return commands[i].fn(r, n - 1, vec + 1);
	return -EINVAL;
}
