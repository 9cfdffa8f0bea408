/*
 * Console output. The initial domain writes through console_io, which the
 * hypervisor prints on its own console. Other domains write to the console
 * ring page of start_info.console.domU and kick its event channel; without
 * a ring they fall back to console_io, which hv prints as "(dN) ..." and
 * a release build of Xen 4.17 refuses from a domU (-EPERM, whatever
 * guest_loglvl says: only debug builds let it through).
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <public/event_channel.h>
#include <public/io/console.h>
#include <public/sched.h>

static struct xencons_interface *ring;
static uint32_t ring_port;

void console_init(const struct start_info *si)
{
	const volatile uint64_t *m2p = (const volatile uint64_t *)MACH2PHYS_VIRT_START;
	uint64_t pfn;

	if ((si->flags & SIF_INITDOMAIN) || !si->console.domU.mfn)
		return;
	/* The builder maps the ring page inside the initial region. */
	pfn = m2p[si->console.domU.mfn];
	if (pfn >= si->nr_pages)
		return;
	ring = (struct xencons_interface *)(VIRT_BASE + (pfn << PAGE_SHIFT));
	ring_port = si->console.domU.evtchn;
}

static void ring_kick(void)
{
	struct evtchn_send s = { .port = ring_port };

	HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

static void ring_write(const char *s, size_t len)
{
	XENCONS_RING_IDX prod = ring->out_prod;

	while (len) {
		/* Full: let the backend drain it. */
		while (prod - *(volatile XENCONS_RING_IDX *)&ring->out_cons >= sizeof(ring->out)) {
			ring->out_prod = prod;
			ring_kick();
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		}
		ring->out[MASK_XENCONS_IDX(prod, ring->out)] = *s++;
		prod++;
		len--;
	}
	__asm__ __volatile__("" ::: "memory");     /* x86: stores stay ordered */
	ring->out_prod = prod;
	ring_kick();
}

void console_write(const char *s, size_t len)
{
	if (ring) {
		ring_write(s, len);
		return;
	}
	while (len) {
		unsigned int n = len > 1024 ? 1024 : (unsigned int)len;

		HYPERVISOR_console_io(CONSOLEIO_write, n, s);
		s += n;
		len -= n;
	}
}
