/*
 * main.c - xenstored for hv: options, start-up and the poll() loop.
 *
 * Single-threaded: one poll() over the UNIX socket listener, the shared
 * event-channel descriptor and every socket client; domain rings are
 * serviced on every round. Nothing a client sends can stop the loop: bad
 * messages get error replies, protocol violations close that connection.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "connection.h"
#include "domain.h"
#include "log.h"
#include "quota.h"
#include "store.h"
#include "transport_ring.h"
#include "transport_socket.h"

#define DEFAULT_SOCKET "/run/xenstored/socket"

struct options {
	const char *socket_path;
	const char *pid_file;
	bool no_domain_rings;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
}

static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: xenstored [options]\n"
"  -s, --socket PATH        UNIX socket for dom0 tools (default %s)\n"
"  -F, --pid-file FILE      write the daemon's pid to FILE\n"
"  -T, --trace-file FILE    trace every message in and out to FILE\n"
"  -l, --log-level LEVEL    error, warning, info (default) or debug\n"
"      --log-file FILE      log to FILE instead of stderr\n"
"  -E, --entry-nb N         quota: nodes owned per domain (1000)\n"
"  -S, --entry-size N       quota: bytes per node (2048)\n"
"  -W, --watch-nb N         quota: watches per connection (128)\n"
"  -t, --transaction N      quota: open transactions per connection (10)\n"
"  -A, --perm-nb N          quota: permission entries per node (5)\n"
"  -M, --path-max N         quota: path length below the home (2048)\n"
"  -Q, --quota NAME=N       any quota by name: nodes, watches, outstanding,\n"
"                           transactions, transaction-nodes,\n"
"                           node-permissions, path-max, node-size\n"
"                           (quotas bind unprivileged domains; 0 = off)\n"
"  -K, --keep-orphans       keep a released domain's nodes (a security\n"
"                           risk: a later domain with its id owns them)\n"
"  -D, --no-domain-rings    INTRODUCE records a domain without mapping its\n"
"                           ring (hosts without /dev/xen, and tests)\n"
"  -N, --no-fork            accepted for compatibility; never forks\n"
"  -H, --help               this text\n", DEFAULT_SOCKET);
}

static int set_quota_opt(int q, const char *val)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno || *end || !*val || v > 0xffffffffu)
		return -EINVAL;
	quota_global[q] = (unsigned int)v;
	return 0;
}

static int set_named_quota(const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[64];
	int q;

	if (!eq || (size_t)(eq - arg) >= sizeof(name))
		return -EINVAL;
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	q = quota_lookup(name);
	return q < 0 ? q : set_quota_opt(q, eq + 1);
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "socket", 1, NULL, 's' },
		{ "pid-file", 1, NULL, 'F' },
		{ "trace-file", 1, NULL, 'T' },
		{ "log-level", 1, NULL, 'l' },
		{ "log-file", 1, NULL, 1 },
		{ "entry-nb", 1, NULL, 'E' },
		{ "entry-size", 1, NULL, 'S' },
		{ "watch-nb", 1, NULL, 'W' },
		{ "transaction", 1, NULL, 't' },
		{ "perm-nb", 1, NULL, 'A' },
		{ "path-max", 1, NULL, 'M' },
		{ "quota", 1, NULL, 'Q' },
		{ "keep-orphans", 0, NULL, 'K' },
		{ "no-domain-rings", 0, NULL, 'D' },
		{ "no-fork", 0, NULL, 'N' },
		{ "help", 0, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 0, lvl;

	o->socket_path = DEFAULT_SOCKET;
	while ((c = getopt_long(argc, argv, "s:F:T:l:E:S:W:t:A:M:Q:KDNH",
				longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->socket_path = optarg; break;
		case 'F': o->pid_file = optarg; break;
		case 'T': rc = log_trace_open(optarg); break;
		case 'l':
			lvl = log_level_parse(optarg);
			if (lvl < 0)
				rc = lvl;
			else
				log_set_level((enum xs_log_level)lvl);
			break;
		case 1: rc = log_open_file(optarg); break;
		case 'E': rc = set_quota_opt(Q_NODES, optarg); break;
		case 'S': rc = set_quota_opt(Q_NODE_SIZE, optarg); break;
		case 'W': rc = set_quota_opt(Q_WATCHES, optarg); break;
		case 't': rc = set_quota_opt(Q_TRANSACTIONS, optarg); break;
		case 'A': rc = set_quota_opt(Q_PERMS, optarg); break;
		case 'M': rc = set_quota_opt(Q_PATH_MAX, optarg); break;
		case 'Q': rc = set_named_quota(optarg); break;
		case 'K': domain_keep_orphans = true; break;
		case 'D': o->no_domain_rings = true; break;
		case 'N': break;
		case 'H': usage(stdout); exit(0);
		default: usage(stderr); return -EINVAL;
		}
		if (rc) {
			fprintf(stderr, "xenstored: bad option -%c %s: %s\n",
				c, optarg ? optarg : "", strerror(-rc));
			return rc;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

static void make_parent_dir(const char *path)
{
	char *dir = strdup(path), *slash;

	if (!dir)
		return;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);	/* fine if it exists */
	}
	free(dir);
}

static void write_pid_file(const char *path)
{
	FILE *fp = fopen(path, "w");

	if (!fp) {
		log_warn("pid file %s: %s", path, strerror(errno));
		return;
	}
	fprintf(fp, "%ld\n", (long)getpid());
	fclose(fp);
}

/* Service every ring connection: they have no descriptor of their own. */
static void service_rings(void)
{
	struct connection *c;

	list_for_each_entry(c, &connections, list) {
		if (c->dead || c->ops->fd(c) >= 0)
			continue;
		conn_handle_input(c);
		conn_handle_output(c);
		if (c->ops->kick)
			c->ops->kick(c);
	}
}

/*
 * SIGTERM/SIGINT stay blocked except inside ppoll(), so a signal cannot
 * slip in between the stop check and the wait and leave us asleep.
 */
static int run_loop(int listen_fd, const sigset_t *waitmask)
{
	struct pollfd *pfd = NULL;
	struct connection **who = NULL;
	size_t cap = 0, n, i;
	struct connection *c;
	int evfd;

	while (!stop_requested) {
		service_rings();
		conn_reap();

		n = 0;
		list_for_each_entry(c, &connections, list)
			n++;
		if (n + 2 > cap) {
			cap = (n + 2) * 2;
			free(pfd);
			free(who);
			pfd = calloc(cap, sizeof(*pfd));
			who = calloc(cap, sizeof(*who));
			if (!pfd || !who) {
				log_err("out of memory in the main loop");
				return -ENOMEM;
			}
		}
		n = 0;
		pfd[n++] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
		evfd = ring_transport_fd();
		pfd[n++] = (struct pollfd){ .fd = evfd, .events = POLLIN };
		list_for_each_entry(c, &connections, list) {
			int fd = c->ops->fd(c);

			if (fd < 0)
				continue;
			who[n] = c;
			pfd[n].fd = fd;
			pfd[n].events = (short)((conn_wants_input(c) ? POLLIN : 0) |
					(conn_wants_output(c) ? POLLOUT : 0));
			pfd[n].revents = 0;
			n++;
		}
		if (ppoll(pfd, n, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			return -errno;
		}
		if (pfd[0].revents & POLLIN)
			socket_accept(listen_fd);
		if (evfd >= 0 && (pfd[1].revents & POLLIN))
			ring_transport_events();
		for (i = 2; i < n; i++) {
			c = who[i];
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				conn_handle_input(c);
			if (pfd[i].revents & POLLOUT)
				conn_handle_output(c);
			/* Replies are usually writable at once. */
			if (conn_wants_output(c))
				conn_handle_output(c);
		}
		/* Events fired by this round go out to idle clients too. */
		list_for_each_entry(c, &connections, list)
			if (c->ops->fd(c) >= 0 && conn_wants_output(c))
				conn_handle_output(c);
	}
	free(pfd);
	free(who);
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, waitmask;
	int listen_fd, rc;

	if (parse_options(argc, argv, &o))
		return 2;
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);

	rc = store_init(domain_nodes_hook);
	if (rc) {
		log_err("cannot create the store: %s", strerror(-rc));
		return 1;
	}
	domain_rings_enabled = !o.no_domain_rings;
	if (domain_rings_enabled) {
		rc = ring_transport_init();
		if (rc) {
			log_warn("no Xen devices (%s): serving the socket "
				 "only; INTRODUCE will fail", strerror(-rc));
		} else if ((rc = ring_conn_open_dom0())) {
			log_info("no dom0 kernel ring: %s", strerror(-rc));
		}
	}
	make_parent_dir(o.socket_path);
	listen_fd = socket_listen(o.socket_path);
	if (listen_fd < 0) {
		log_err("socket %s: %s", o.socket_path, strerror(-listen_fd));
		return 1;
	}
	if (o.pid_file)
		write_pid_file(o.pid_file);
	log_info("listening on %s", o.socket_path);

	rc = run_loop(listen_fd, &waitmask);

	conn_close_all();
	close(listen_fd);
	unlink(o.socket_path);
	if (o.pid_file)
		unlink(o.pid_file);
	ring_transport_exit();
	log_trace_close();
	store_exit();
	domain_exit();
	return rc ? 1 : 0;
}
