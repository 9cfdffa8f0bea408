/*
 * dom0's size, with Xen's option syntax so users' GRUB entries carry over:
 *
 *   dom0_mem=[min:<sz>,][max:<sz>,][<sz>]   <sz> = <size> | -<size> | <n>%
 *   dom0_max_vcpus=<n> | <min>-<max>
 *
 * A negative size means "all but"; a bare number is in KiB. Without
 * dom0_mem, dom0 gets everything except a reserve for hv (1/16 of the
 * host, at most 128 MiB), as on Xen.
 */
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/dom0.h>
#include <hv/errno.h>
#include <hv/lib.h>

#define MIB (1UL << 20)

struct amount {
	bool set;
	bool all_but;		/* "-<size>": host memory minus this */
	bool percent;		/* value is a percentage of host memory */
	uint64_t value;
};

static struct amount mem_amount, mem_min, mem_max;
static unsigned int vcpus_min = 1, vcpus_max = ~0u;

static int parse_amount(const char *s, size_t len, struct amount *out)
{
	char buf[32];
	struct amount a = { .set = true };
	const char *end;
	size_t n;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	s = buf;
	if (*s == '-') {
		a.all_but = true;
		s++;
	}
	n = parse_u64(s, &a.value);
	if (n && s[n] == '%' && !s[n + 1] && !a.all_but) {
		if (a.value > 100)
			return -EINVAL;
		a.percent = true;
	} else if (parse_size(s, &end, &a.value) || *end) {
		return -EINVAL;
	}
	*out = a;
	return 0;
}

static int parse_dom0_mem(const char *s)
{
	struct amount amt = mem_amount, min = mem_min, max = mem_max;

	if (!*s)
		return -EINVAL;
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		int rc;

		if (!strncmp(s, "min:", 4))
			rc = parse_amount(s + 4, len - 4, &min);
		else if (!strncmp(s, "max:", 4))
			rc = parse_amount(s + 4, len - 4, &max);
		else
			rc = parse_amount(s, len, &amt);
		if (rc)
			return rc;
		s += len + (comma ? 1 : 0);
		if (comma && !*s)
			return -EINVAL;		/* trailing comma */
	}
	mem_amount = amt;
	mem_min = min;
	mem_max = max;
	return 0;
}
HV_PARAM_CUSTOM("dom0_mem", parse_dom0_mem);

static int parse_dom0_max_vcpus(const char *s)
{
	uint64_t lo, hi;
	size_t n = parse_u64(s, &lo);

	if (!n || lo == 0 || lo > 4096)
		return -EINVAL;
	hi = lo;
	if (s[n] == '-') {
		size_t m = parse_u64(s + n + 1, &hi);

		if (!m || s[n + 1 + m] || hi < lo || hi > 4096)
			return -EINVAL;
		vcpus_min = (unsigned int)lo;
		vcpus_max = (unsigned int)hi;
		return 0;
	}
	if (s[n])
		return -EINVAL;
	vcpus_min = 1;
	vcpus_max = (unsigned int)lo;
	return 0;
}
HV_PARAM_CUSTOM("dom0_max_vcpus", parse_dom0_max_vcpus);

static uint64_t resolve(const struct amount *a, uint64_t host)
{
	uint64_t v = a->percent ? host * a->value / 100 : a->value;

	if (a->all_but)
		return v < host ? host - v : 0;
	return v;
}

static uint64_t reserve_for_hv(uint64_t host)
{
	return MIN(host / 16, 128 * MIB);
}

uint64_t dom0_mem_size(uint64_t host)
{
	uint64_t avail = host - reserve_for_hv(host);
	uint64_t size = mem_amount.set ? resolve(&mem_amount, host) : avail;

	if (mem_min.set)
		size = MAX(size, resolve(&mem_min, host));
	if (mem_max.set)
		size = MIN(size, resolve(&mem_max, host));
	return ALIGN_DOWN(MIN(size, avail), PAGE_SIZE);
}

uint64_t dom0_mem_max(uint64_t host)
{
	uint64_t size = dom0_mem_size(host);

	if (mem_max.set)
		return ALIGN_DOWN(MAX(size, MIN(resolve(&mem_max, host), host)), PAGE_SIZE);
	return size;
}

bool dom0_mem_has_max(void)
{
	return mem_max.set;
}

unsigned int dom0_vcpus(unsigned int host_cpus)
{
	unsigned int n = MIN(host_cpus, vcpus_max);

	return MAX(n, vcpus_min);
}

void dom0_report_sizing(uint64_t host_free, unsigned int host_cpus)
{
	if (mem_max.set)
		pr_info("dom0: %lu MiB (max %lu MiB) of %lu MiB free, %u vCPU%s\n",
			dom0_mem_size(host_free) / MIB, dom0_mem_max(host_free) / MIB,
			host_free / MIB, dom0_vcpus(host_cpus), dom0_vcpus(host_cpus) == 1 ? "" : "s");
	else
		pr_info("dom0: %lu MiB (no max: it may grow) of %lu MiB free, %u vCPU%s\n",
			dom0_mem_size(host_free) / MIB, host_free / MIB, dom0_vcpus(host_cpus),
			dom0_vcpus(host_cpus) == 1 ? "" : "s");
}
