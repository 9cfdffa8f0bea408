/*
 * I/O resources dom0 hands to other domains (HV_DOMCTL_ioport_permission,
 * iomem_permission, irq_permission): small lists of ranges per domain.
 * dom0 itself holds everything but hv's own devices; the PV MMU asks here
 * before another domain maps I/O memory, the port emulation before it
 * reaches a port.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <public/hvctl.h>

static struct io_range *ranges_of(struct domain *d, unsigned int cmd, unsigned int **nr)
{
	switch (cmd) {
	case HV_DOMCTL_ioport_permission:
		*nr = &d->nr_ioports;
		return d->ioports;
	case HV_DOMCTL_iomem_permission:
		*nr = &d->nr_iomem;
		return d->iomem;
	default:
		*nr = &d->nr_irqs;
		return d->irqs;
	}
}

/* The limit of each kind: 16-bit ports, MFNs below 2^40, IRQs below 256. */
static uint64_t space_of(unsigned int cmd)
{
	return cmd == HV_DOMCTL_ioport_permission ? 0x10000 :
	       cmd == HV_DOMCTL_iomem_permission ? (1UL << 40) : 256;
}

/* Take [first, end) out of the list, splitting a range that holds it. */
static int revoke(struct io_range *r, unsigned int *nr, uint64_t first, uint64_t end)
{
	for (unsigned int i = 0; i < *nr; i++) {
		uint64_t rf = r[i].first, re = r[i].first + r[i].count;

		if (re <= first || rf >= end)
			continue;
		if (rf < first && re > end) {
			if (*nr == DOMAIN_MAX_IO_RANGES)
				return -ENOSPC;
			r[(*nr)++] = (struct io_range){ end, re - end };
		}
		if (rf < first) {
			r[i].count = first - rf;
		} else if (re > end) {
			r[i] = (struct io_range){ end, re - end };
		} else {
			r[i--] = r[--*nr];	/* wholly inside: gone */
		}
	}
	return 0;
}

long domain_set_io_permission(struct domain *d, unsigned int cmd, const struct hv_domctl_range *p)
{
	unsigned int *nr;
	struct io_range *r = ranges_of(d, cmd, &nr);
	uint64_t end = p->first + p->count;

	if (!p->count || end < p->first || end > space_of(cmd) || p->allow > 1)
		return -EINVAL;
	if (!p->allow)
		return revoke(r, nr, p->first, end);
	if (domain_io_allowed(d, cmd, p->first, p->count))
		return 0;
	if (revoke(r, nr, p->first, end) || *nr == DOMAIN_MAX_IO_RANGES)
		return -ENOSPC;
	r[(*nr)++] = (struct io_range){ p->first, p->count };
	return 0;
}

bool domain_io_allowed(const struct domain *d, unsigned int cmd, uint64_t first, uint64_t count)
{
	unsigned int *nr;
	const struct io_range *r = ranges_of((struct domain *)d, cmd, &nr);
	uint64_t at = first, end = first + count;

	/* Walk the ranges covering [first, end), in any order. */
	while (at < end) {
		unsigned int i;

		for (i = 0; i < *nr; i++)
			if (at >= r[i].first && at < r[i].first + r[i].count)
				break;
		if (i == *nr)
			return false;
		at = r[i].first + r[i].count;
	}
	return true;
}
