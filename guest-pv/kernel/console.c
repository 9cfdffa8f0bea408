/*
 * Console output. The initial domain writes through console_io, which the
 * hypervisor prints on its own console; other domains (later) write to
 * the console ring of start_info.console.domU. Until the ring driver
 * exists, every domain uses console_io (hv and Xen accept it from domUs
 * during bring-up; Xen only logs it at guest_loglvl).
 */
#include <guest/lib.h>
#include <guest/hypercall.h>

void console_init(const struct start_info *si)
{
	(void)si;
}

void console_write(const char *s, size_t len)
{
	while (len) {
		unsigned int n = len > 1024 ? 1024 : (unsigned int)len;

		HYPERVISOR_console_io(CONSOLEIO_write, n, s);
		s += n;
		len -= n;
	}
}
