/*
 * printk and log levels. Every message goes into the console ring (so it is
 * never lost before the serial line is up) and to the console devices whose
 * level threshold it passes. Levels follow Xen's loglvl= names.
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <hv/types.h>

enum log_level {
	LOG_NONE = 0,	/* only for thresholds: print nothing */
	LOG_ERR = 1,
	LOG_WARN = 2,
	LOG_INFO = 3,
	LOG_DEBUG = 4,
	LOG_ALL = 5,	/* only for thresholds: print everything */
};

/* A level is passed as a one-character prefix of the format string. */
#define KLOG_ERR "\001" "1"
#define KLOG_WARN "\001" "2"
#define KLOG_INFO "\001" "3"
#define KLOG_DEBUG "\001" "4"

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);

#define pr_err(...) printk(KLOG_ERR __VA_ARGS__)
#define pr_warn(...) printk(KLOG_WARN __VA_ARGS__)
#define pr_info(...) printk(KLOG_INFO __VA_ARGS__)
#define pr_debug(...) printk(KLOG_DEBUG __VA_ARGS__)

/* A console device: gets every character of messages that pass its level. */
struct console_dev {
	const char *name;
	void (*putc)(struct console_dev *dev, char c);
	struct console_dev *next;
};

void console_register(struct console_dev *dev);
const char *log_level_name(enum log_level l);
/* Threshold for hv's own messages and for guests' (loglvl=, guest_loglvl=). */
extern enum log_level console_loglvl, console_guest_loglvl;
/* Bring up the devices console= names (after the command line is parsed). */
void console_init(void);
/* After a fatal error: print everything, on com1 if nothing else is up. */
void console_force_output(void);
/* Console input (common/keyhandler.c): start polling; next byte for dom0 or -1. */
void console_input_init(void);
int console_input_get(void);
/* Write raw bytes (already formatted) to every console device. */
void console_write(const char *s, size_t len);

struct hv_sysctl_console;
/* HV_SYSCTL_readconsole (common/console.c). */
long console_read_ring(struct hv_sysctl_console *c);

#endif
