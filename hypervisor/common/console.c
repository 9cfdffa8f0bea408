/*
 * hv's console: printk with log levels, a ring that keeps what was printed
 * (so nothing before the serial line is lost), and the console devices
 * selected by `console=`. Lines from hv carry the prefix "(HV) "; guests'
 * console output goes through console_write() unprefixed (dom0, like Xen).
 */
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/serial.h>
#include <public/hvctl.h>
#include <public/xen.h>

#define CONRING_SIZE 16384

enum log_level console_loglvl = LOG_INFO;
enum log_level console_guest_loglvl = LOG_INFO;

static char conring[CONRING_SIZE];
static size_t conring_prod;		/* free-running byte index */
static struct console_dev *devices;
static bool at_line_start = true;

static const char *const level_names[] = {
	[LOG_NONE] = "none", [LOG_ERR] = "error", [LOG_WARN] = "warning",
	[LOG_INFO] = "info", [LOG_DEBUG] = "debug", [LOG_ALL] = "all",
};

/* loglvl=<level>[/<rate-limited level>]: the second half is accepted and ignored. */
static int parse_level(const char *s, enum log_level *out)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(level_names); i++) {
		size_t n = strlen(level_names[i]);

		if (!strncmp(s, level_names[i], n) && (s[n] == '\0' || s[n] == '/')) {
			if (s[n] == '/' && parse_level(s + n + 1, &(enum log_level){ 0 }))
				return -EINVAL;
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_loglvl(const char *s)
{
	return parse_level(s, &console_loglvl);
}
HV_PARAM_CUSTOM("loglvl", parse_loglvl);

static int parse_guest_loglvl(const char *s)
{
	return parse_level(s, &console_guest_loglvl);
}
HV_PARAM_CUSTOM("guest_loglvl", parse_guest_loglvl);

/* console=com1[,com2]: which devices hv writes to. */
static char opt_console[64] = "com1";
HV_PARAM_STRING("console", opt_console);

const char *log_level_name(enum log_level l)
{
	return l < ARRAY_SIZE(level_names) ? level_names[l] : "?";
}

/*
 * HV_SYSCTL_readconsole: what hv printed, from a byte offset on (bytes
 * that scrolled out of the ring are skipped). Like `xl dmesg`.
 */
long console_read_ring(struct hv_sysctl_console *c)
{
	size_t oldest = conring_prod > CONRING_SIZE ? conring_prod - CONRING_SIZE : 0;
	/* Before the oldest byte kept: from there; past the end: at the end. */
	uint64_t at = MIN(MAX(c->offset, (uint64_t)oldest), (uint64_t)conring_prod);
	uint32_t n = 0;

	while (at < conring_prod && n < c->size) {
		size_t chunk = MIN(MIN((size_t)(conring_prod - at), (size_t)(c->size - n)),
				   CONRING_SIZE - (size_t)(at % CONRING_SIZE));

		if (copy_to_guest(c->buffer + n, &conring[at % CONRING_SIZE], chunk))
			return -EFAULT;
		n += (uint32_t)chunk;
		at += chunk;
	}
	c->size = n;
	c->offset = at;
	return 0;
}

static void conring_put(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		conring[conring_prod++ % CONRING_SIZE] = s[i];
}

static void devices_write(struct console_dev *only, const char *s, size_t len)
{
	for (struct console_dev *d = devices; d; d = d->next) {
		if (only && d != only)
			continue;
		for (size_t i = 0; i < len; i++)
			d->putc(d, s[i]);
	}
}

void console_write(const char *s, size_t len)
{
	conring_put(s, len);
	devices_write(NULL, s, len);
	if (len)
		at_line_start = s[len - 1] == '\n';
}

void console_register(struct console_dev *dev)
{
	size_t start = conring_prod > CONRING_SIZE ? conring_prod - CONRING_SIZE : 0;

	dev->next = devices;
	devices = dev;
	/* Replay what was printed before this device existed. */
	for (size_t i = start; i < conring_prod; i++)
		dev->putc(dev, conring[i % CONRING_SIZE]);
}

void vprintk(const char *fmt, va_list ap)
{
	enum log_level level = LOG_INFO;
	char buf[512];
	const char *p, *line;
	int n;

	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '9') {
		level = (enum log_level)(fmt[1] - '0');
		fmt += 2;
	}
	if (level > console_loglvl)
		return;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;

	/* Prefix every line, including continuations of a split message. */
	for (line = p = buf; p < buf + n; p++) {
		if (*p != '\n')
			continue;
		if (at_line_start)
			console_write("(HV) ", 5);
		console_write(line, p + 1 - line);
		line = p + 1;
	}
	if (line < buf + n) {
		if (at_line_start)
			console_write("(HV) ", 5);
		console_write(line, buf + n - line);
	}
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

/* Bring up the devices `console=` names; unknown names are reported. */
void console_init(void)
{
	const char *p = opt_console;

	while (*p) {
		char name[16];
		size_t n = 0;

		while (*p && *p != ',' && n < sizeof(name) - 1)
			name[n++] = *p++;
		name[n] = '\0';
		while (*p && *p != ',')
			p++;
		if (*p == ',')
			p++;
		if (!strcmp(name, "com1"))
			serial_console_init(0);
		else if (!strcmp(name, "com2"))
			serial_console_init(1);
		else if (strcmp(name, "none") && name[0])
			pr_warn("console: '%s' is not a console hv supports (com1, com2, none); ignored\n", name);
	}
}

/* After a fatal error nothing must stay silent: fall back to com1. */
void console_force_output(void)
{
	console_loglvl = LOG_ALL;
	if (!devices)
		serial_console_init(0);
}

/*
 * console_io (#18). dom0 writes straight to hv's console, as on Xen; other
 * domains' lines get a "(dN) " prefix, lose control characters and obey
 * guest_loglvl. Reading returns what arrived on the serial line (dom0).
 */
#define CONSOLE_CHUNK 128

/*
 * A domU's output is gathered per domain and printed a whole line at a
 * time behind its prefix, so lines of domains writing at once never mix.
 */
static void domu_line_flush(struct domain *d)
{
	char prefix[12];
	int n = snprintf(prefix, sizeof(prefix), "(d%u) ", d->id);

	console_write(prefix, (size_t)n);
	console_write(d->con_line, d->con_len);
	console_write("\n", 1);
	d->con_len = 0;
}

static void guest_console_write(struct domain *d, const char *buf, size_t len)
{
	if (d->initial) {
		console_write(buf, len);
		return;
	}
	if (console_guest_loglvl < LOG_INFO)
		return;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\n') {
			domu_line_flush(d);
			continue;
		}
		if ((c < 32 && c != '\t') || c == 127)
			c = '?';
		d->con_line[d->con_len++] = c;
		if (d->con_len == sizeof(d->con_line))
			domu_line_flush(d);
	}
}

long do_console_io(unsigned int cmd, unsigned int count, uint64_t buf)
{
	struct domain *d = current->domain;
	char chunk[CONSOLE_CHUNK];

	switch (cmd) {
	case CONSOLEIO_write:
		while (count) {
			unsigned int n = MIN(count, (unsigned int)CONSOLE_CHUNK);

			if (copy_from_guest(chunk, buf, n))
				return -EFAULT;
			guest_console_write(d, chunk, n);
			buf += n;
			count -= n;
			if (count && hypercall_preempt_check())
				return hypercall_continuation(__HYPERVISOR_console_io, cmd, count, buf, 0, 0);
		}
		return 0;
	case CONSOLEIO_read: {
		unsigned int got = 0;
		int c;

		if (!d->initial)
			return -EPERM;
		if (count > INT32_MAX)
			return -E2BIG;
		while (got < count && (c = console_input_get()) >= 0) {
			char ch = (char)c;

			if (copy_to_guest(buf + got, &ch, 1))
				return -EFAULT;
			got++;
		}
		return got;
	}
	default:
		return -ENOSYS;
	}
}
