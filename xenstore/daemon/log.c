/*
 * log.c - daemon logging and the wire trace (see log.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"

static enum xs_log_level cur_level = XS_LOG_INFO;
static FILE *log_fp;
static FILE *trace_fp;

static const char *const level_names[] = {
	[XS_LOG_ERROR] = "error",
	[XS_LOG_WARN]  = "warning",
	[XS_LOG_INFO]  = "info",
	[XS_LOG_DEBUG] = "debug",
};

enum xs_log_level log_get_level(void)
{
	return cur_level;
}

void log_set_level(enum xs_log_level lvl)
{
	cur_level = lvl;
}

int log_level_parse(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (!strcmp(name, level_names[i]))
			return (int)i;
	return -EINVAL;
}

const char *log_level_name(enum xs_log_level lvl)
{
	return level_names[lvl];
}

int log_open_file(const char *path)
{
	FILE *fp = fopen(path, "a");

	if (!fp)
		return -errno;
	setvbuf(fp, NULL, _IOLBF, 0);
	if (log_fp)
		fclose(log_fp);
	log_fp = fp;
	return 0;
}

void xs_log(enum xs_log_level lvl, const char *fmt, ...)
{
	FILE *fp = log_fp ? log_fp : stderr;
	va_list ap;

	if (lvl > cur_level)
		return;
	fprintf(fp, "xenstored: %s: ", level_names[lvl]);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
}

int log_trace_open(const char *path)
{
	FILE *fp = fopen(path, "a");

	if (!fp)
		return -errno;
	setvbuf(fp, NULL, _IOLBF, 0);
	log_trace_close();
	trace_fp = fp;
	return 0;
}

void log_trace_close(void)
{
	if (trace_fp)
		fclose(trace_fp);
	trace_fp = NULL;
}

/* One line per message; payload NULs shown as spaces, binary as '.'. */
void log_trace_msg(unsigned int conn_id, const char *dir, uint32_t type,
		   uint32_t req_id, uint32_t tx_id, const char *payload,
		   uint32_t len)
{
	struct timespec ts;
	uint32_t i;

	if (!trace_fp)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(trace_fp, "%lld.%06ld %s conn %u type %u req %u tx %u len %u (",
		(long long)ts.tv_sec, ts.tv_nsec / 1000, dir, conn_id, type,
		req_id, tx_id, len);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)payload[i];

		fputc(c == 0 ? ' ' : (c >= 0x20 && c < 0x7f) ? c : '.',
		      trace_fp);
	}
	fputs(")\n", trace_fp);
}
