/*
 * xs_bench.c - xenstore request rates over the UNIX socket.
 *
 * Usage: xs-bench SOCKET [RUNS] [MS]
 * For read, write, directory and a 10-write transaction, with 1 and 100
 * concurrent clients (one connection and thread each), runs RUNS rounds
 * of MS milliseconds and prints the median rate: requests per second
 * for single operations, transactions per second (12 requests each) for
 * the transaction.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xenstore.h"

enum op { OP_READ, OP_WRITE, OP_DIR, OP_TXN, OP_COUNT };
static const char *const op_names[OP_COUNT] = {
	"read", "write", "directory", "txn(10 writes)"
};

struct client {
	pthread_t thread;
	struct hvxs *h;
	int id;
	enum op op;
	unsigned long done, retries;
	int failed;
};

static const char *sock;
static pthread_barrier_t start_barrier;
static volatile int stop;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int one_txn(struct client *c)
{
	char path[64];
	hvxs_tx_t t;
	int j;

	for (;;) {
		t = hvxs_transaction_start(c->h);
		if (t == HVXS_TX_NONE)
			return -1;
		for (j = 0; j < 10; j++) {
			snprintf(path, sizeof(path), "/bench/t%d/k%d", c->id, j);
			if (hvxs_write(c->h, t, path, "v", 1))
				return -1;
		}
		if (!hvxs_transaction_end(c->h, t, false))
			return 0;
		if (errno != EAGAIN)
			return -1;
		c->retries++;
	}
}

static int one_op(struct client *c)
{
	char path[64];
	unsigned int n;
	void *p;

	switch (c->op) {
	case OP_READ:
		p = hvxs_read(c->h, HVXS_TX_NONE, "/bench/node", NULL);
		free(p);
		return p ? 0 : -1;
	case OP_WRITE:
		snprintf(path, sizeof(path), "/bench/w%d", c->id);
		return hvxs_write(c->h, HVXS_TX_NONE, path, "value", 5);
	case OP_DIR:
		p = hvxs_directory(c->h, HVXS_TX_NONE, "/bench/dir", &n);
		free(p);
		return p ? 0 : -1;
	default:
		return one_txn(c);
	}
}

static void *client_main(void *arg)
{
	struct client *c = arg;

	pthread_barrier_wait(&start_barrier);
	while (!stop) {
		if (one_op(c)) {
			c->failed = 1;
			break;
		}
		c->done++;
	}
	return NULL;
}

static void prepare(void)
{
	struct hvxs *h = hvxs_open(sock);
	char path[64];
	int i, j;

	if (!h) {
		perror("hvxs_open");
		exit(1);
	}
	hvxs_write(h, 0, "/bench/node", "some value", 10);
	for (i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "/bench/dir/child%d", i);
		hvxs_write(h, 0, path, "x", 1);
	}
	for (i = 0; i < 100; i++)
		for (j = 0; j < 10; j++) {
			snprintf(path, sizeof(path), "/bench/t%d/k%d", i, j);
			hvxs_write(h, 0, path, "0", 1);
		}
	hvxs_close(h);
}

static double run_once(enum op op, int nclients, int ms)
{
	struct client *cl = calloc((size_t)nclients, sizeof(*cl));
	unsigned long total = 0;
	double t0, t1;
	struct timespec d = { ms / 1000, (ms % 1000) * 1000000L };
	int i;

	pthread_barrier_init(&start_barrier, NULL, (unsigned)nclients + 1);
	stop = 0;
	for (i = 0; i < nclients; i++) {
		cl[i].id = i;
		cl[i].op = op;
		cl[i].h = hvxs_open(sock);
		if (!cl[i].h) {
			perror("hvxs_open");
			exit(1);
		}
		pthread_create(&cl[i].thread, NULL, client_main, &cl[i]);
	}
	pthread_barrier_wait(&start_barrier);
	t0 = now();
	nanosleep(&d, NULL);
	stop = 1;
	for (i = 0; i < nclients; i++)
		pthread_join(cl[i].thread, NULL);
	t1 = now();
	for (i = 0; i < nclients; i++) {
		if (cl[i].failed)
			fprintf(stderr, "client %d: %s failed\n", i,
				op_names[op]);
		total += cl[i].done;
		hvxs_close(cl[i].h);
	}
	pthread_barrier_destroy(&start_barrier);
	free(cl);
	return total / (t1 - t0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const int clients[] = { 1, 100 };
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	int ms = argc > 3 ? atoi(argv[3]) : 500;
	double rates[64];
	unsigned int c;
	int op, r;

	if (argc < 2 || runs < 1 || runs > 64) {
		fprintf(stderr, "usage: xs-bench SOCKET [RUNS<=64] [MS]\n");
		return 2;
	}
	sock = argv[1];
	prepare();
	for (op = 0; op < OP_COUNT; op++)
		for (c = 0; c < 2; c++) {
			for (r = 0; r < runs; r++)
				rates[r] = run_once(op, clients[c], ms);
			qsort(rates, (size_t)runs, sizeof(rates[0]),
			      cmp_double);
			printf("%-16s %4d clients  %10.0f %s/s (median of %d)\n",
			       op_names[op], clients[c], rates[runs / 2],
			       op == OP_TXN ? "txn" : "req", runs);
			fflush(stdout);
		}
	return 0;
}
