/*
 * 16550 UART console. Configured like Xen's:
 *   com1=<baud>[/<clock-hz>][,<data><parity><stop>[,<io-base>]]
 * e.g. com1=115200,8n1 or com1=9600,7e2,0x3f8; baud `auto` keeps what the
 * boot loader programmed.
 */
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/serial.h>
#include <asm/processor.h>

#define UART_THR 0	/* transmit holding (DLAB=0) */
#define UART_RBR 0	/* receive buffer (DLAB=0) */
#define UART_DLL 0	/* divisor latch low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1	/* divisor latch high (DLAB=1) */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR 0x01	/* data ready */
#define LSR_THRE 0x20	/* transmit holding register empty */
#define LCR_DLAB 0x80

struct uart {
	struct console_dev dev;
	uint16_t io_base;
	uint32_t baud;		/* 0: auto, leave the divisor alone */
	uint32_t clock_hz;
	uint8_t lcr;		/* data bits, parity, stop bits */
	bool up;
};

static struct uart uarts[2] = {
	{ .dev.name = "com1", .io_base = 0x3f8, .baud = 115200, .clock_hz = 1843200, .lcr = 0x03 },
	{ .dev.name = "com2", .io_base = 0x2f8, .baud = 115200, .clock_hz = 1843200, .lcr = 0x03 },
};
static struct uart *console_uart;

/* "8n1" → LCR bits; -EINVAL if malformed. */
static int parse_dps(const char *s, size_t len, uint8_t *lcr)
{
	static const char parities[] = "noems";
	static const uint8_t parity_bits[] = { 0x00, 0x08, 0x18, 0x28, 0x38 };
	const char *par;

	if (len != 3 || s[0] < '5' || s[0] > '8' || (s[2] != '1' && s[2] != '2'))
		return -EINVAL;
	par = strchr(parities, s[1]);
	if (!par || !*par)
		return -EINVAL;
	*lcr = (uint8_t)((s[0] - '5') | (s[2] == '2' ? 0x04 : 0) | parity_bits[par - parities]);
	return 0;
}

static int parse_com(struct uart *u, const char *s)
{
	struct uart tmp = *u;
	uint64_t v;
	size_t n;

	if (!strncmp(s, "auto", 4)) {
		tmp.baud = 0;
		s += 4;
	} else {
		n = parse_u64(s, &v);
		if (!n || v < 50 || v > 4000000)
			return -EINVAL;
		tmp.baud = (uint32_t)v;
		s += n;
	}
	if (*s == '/') {
		n = parse_u64(s + 1, &v);
		if (!n || v < 1000 || v > UINT32_MAX)
			return -EINVAL;
		tmp.clock_hz = (uint32_t)v;
		s += 1 + n;
	}
	if (*s == ',') {
		const char *end = strchr(s + 1, ',');
		size_t len = end ? (size_t)(end - s - 1) : strlen(s + 1);

		if (len && parse_dps(s + 1, len, &tmp.lcr))
			return -EINVAL;
		s += 1 + len;
		if (*s == ',') {
			n = parse_u64(s + 1, &v);
			if (!n || v == 0 || v > 0xfff8)
				return -EINVAL;
			tmp.io_base = (uint16_t)v;
			s += 1 + n;
			/* irq and later fields: hv polls, so accept and ignore them */
			if (*s == ',')
				s += strlen(s);
		}
	}
	if (*s)
		return -EINVAL;
	*u = tmp;
	return 0;
}

static int parse_com1(const char *s)
{
	return parse_com(&uarts[0], s);
}
HV_PARAM_CUSTOM("com1", parse_com1);

static int parse_com2(const char *s)
{
	return parse_com(&uarts[1], s);
}
HV_PARAM_CUSTOM("com2", parse_com2);

static void uart_putc_raw(struct uart *u, char c)
{
	/* Bounded wait: a missing UART must not hang hv. */
	for (unsigned int i = 0; i < 100000; i++)
		if (inb(u->io_base + UART_LSR) & LSR_THRE)
			break;
	outb(u->io_base + UART_THR, (uint8_t)c);
}

static void uart_putc(struct console_dev *dev, char c)
{
	struct uart *u = container_of(dev, struct uart, dev);

	if (c == '\n')
		uart_putc_raw(u, '\r');
	uart_putc_raw(u, c);
}

void serial_console_init(unsigned int index)
{
	struct uart *u = &uarts[index];
	uint16_t b = u->io_base;

	if (u->up)
		return;
	outb(b + UART_IER, 0);			/* polled: no interrupts yet */
	if (u->baud) {
		uint32_t div = u->clock_hz / 16 / u->baud;

		if (!div)
			div = 1;
		outb(b + UART_LCR, LCR_DLAB);
		outb(b + UART_DLL, div & 0xff);
		outb(b + UART_DLM, (div >> 8) & 0xff);
	}
	outb(b + UART_LCR, u->lcr);
	outb(b + UART_FCR, 0x07);		/* enable and clear FIFOs */
	outb(b + UART_MCR, 0x03);		/* DTR, RTS */
	u->dev.putc = uart_putc;
	u->up = true;
	if (!console_uart)
		console_uart = u;
	console_register(&u->dev);
}

int serial_getc(void)
{
	if (!console_uart || !(inb(console_uart->io_base + UART_LSR) & LSR_DR))
		return -1;
	return inb(console_uart->io_base + UART_RBR);
}
