/*
 * log.h - daemon logging and the wire trace.
 *
 * Log lines go to stderr (or --log-file) when their level is at or below
 * the current one, which CONTROL "log" changes at run time. Every request
 * is logged at debug level. The trace (--trace-file) records every message
 * in and out with its connection, for diagnosing drivers.
 */
#ifndef XS_LOG_H
#define XS_LOG_H

#include <stdint.h>

enum xs_log_level {
	XS_LOG_ERROR = 0,
	XS_LOG_WARN  = 1,
	XS_LOG_INFO  = 2,
	XS_LOG_DEBUG = 3,
};

void xs_log(enum xs_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)   xs_log(XS_LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  xs_log(XS_LOG_WARN, __VA_ARGS__)
#define log_info(...)  xs_log(XS_LOG_INFO, __VA_ARGS__)
#define log_debug(...) xs_log(XS_LOG_DEBUG, __VA_ARGS__)

/* Current level; name <-> level (returns -EINVAL for an unknown name). */
enum xs_log_level log_get_level(void);
void log_set_level(enum xs_log_level lvl);
int log_level_parse(const char *name);
const char *log_level_name(enum xs_log_level lvl);
int log_open_file(const char *path);

/* The wire trace: off until log_trace_open() succeeds. */
int log_trace_open(const char *path);
void log_trace_close(void);
void log_trace_msg(unsigned int conn_id, const char *dir, uint32_t type,
		   uint32_t req_id, uint32_t tx_id, const char *payload,
		   uint32_t len);

#endif /* XS_LOG_H */
