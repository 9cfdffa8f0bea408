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

/*
 * Sort a few ranges by their start and merge those that overlap or touch;
 * returns how many are left.
 */
static unsigned int normalise(struct io_range *r, unsigned int n)
{
	unsigned int out = 0;

	for (unsigned int i = 1; i < n; i++) {
		struct io_range x = r[i];
		unsigned int j = i;

		for (; j > 0 && r[j - 1].first > x.first; j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint64_t end = r[i].first + r[i].count;

		if (out && r[i].first <= r[out - 1].first + r[out - 1].count)
			r[out - 1].count = MAX(end, r[out - 1].first + r[out - 1].count) - r[out - 1].first;
		else
			r[out++] = r[i];
	}
	return out;
}

/*
 * A domain's list of one kind is kept sorted, with no two ranges that
 * overlap or touch, so that it holds as few as it can. The list a change
 * makes is worked out in a copy and takes the old one's place only if it
 * fits: a refused change (-ENOSPC) leaves the domain's rights as they were.
 */
long domain_set_io_permission(struct domain *d, unsigned int cmd, const struct hv_domctl_range *p)
{
	/* Each range may leave a piece each side of the hole; then the new range. */
	struct io_range next[2 * DOMAIN_MAX_IO_RANGES + 1];
	unsigned int *nr, n = 0;
	struct io_range *r = ranges_of(d, cmd, &nr);
	uint64_t end = p->first + p->count;

	if (!p->count || end < p->first || end > space_of(cmd) || p->allow > 1)
		return -EINVAL;
	/* What the domain holds outside [first, end)... */
	for (unsigned int i = 0; i < *nr; i++) {
		uint64_t rf = r[i].first, re = rf + r[i].count;

		if (rf < p->first)
			next[n++] = (struct io_range){ rf, MIN(re, p->first) - rf };
		if (re > end)
			next[n++] = (struct io_range){ MAX(rf, end), re - MAX(rf, end) };
	}
	/* ...and all of it, when it is granted. */
	if (p->allow)
		next[n++] = (struct io_range){ p->first, p->count };
	n = normalise(next, n);
	if (n > DOMAIN_MAX_IO_RANGES)
		return -ENOSPC;
	memcpy(r, next, n * sizeof(*r));
	*nr = n;
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
