/*
 * list.c - `hvctl list`: the domains hv runs, in xl's layout
 * (Name, ID, Mem in MiB, VCPUs, State, Time in seconds).
 *
 * Names belong to the toolstack, not to hv: dom0 is "Domain-0", as in
 * Xen; other domains are shown as "dom<id>" until a name is known.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <public/hvctl.h>

#include "hvctl.h"
#include "libhv.h"

#define LIST_MAX 1024

/* "r-----" style: one position per state, as xl prints them. */
static void state_string(const struct hv_domctl_info *info, char out[7])
{
	static const char order[] = "rbpscd";
	char letter = hv_domain_state_letter(info);

	for (int i = 0; i < 6; i++)
		out[i] = order[i] == letter ? letter : '-';
	out[6] = '\0';
}

static void print_domain(const struct hv_domctl_info *info)
{
	char name[16], state[7];

	if (info->domain == 0)
		snprintf(name, sizeof(name), "Domain-0");
	else
		snprintf(name, sizeof(name), "dom%u", info->domain);
	state_string(info, state);
	printf("%-32s %5u %7" PRIu64 " %5u %8s %10.1f\n", name, info->domain,
	       info->tot_pages >> 8, info->nr_vcpus, state,
	       (double)info->cpu_time_ns / 1e9);
}

int cmd_list(const struct hvctl_opts *o, int argc, char **argv)
{
	static struct hv_domctl_info infos[LIST_MAX];
	struct hv_handle *h;
	unsigned int count;

	if (argc != 1) {
		fprintf(stderr, "hvctl: list takes no arguments\n");
		return HVCTL_USAGE;
	}
	h = hv_open(o->device);
	if (!h) {
		fprintf(stderr, "hvctl: %s\n", hv_open_error());
		return HVCTL_FAILED;
	}
	if (hv_domain_list(h, infos, LIST_MAX, &count) < 0) {
		fprintf(stderr, "hvctl: %s\n", hv_last_error(h));
		hv_close(h);
		return HVCTL_FAILED;
	}
	printf("%-32s %5s %7s %5s %8s %10s\n", "Name", "ID", "Mem", "VCPUs",
	       "State", "Time(s)");
	for (unsigned int i = 0; i < count; i++)
		print_domain(&infos[i]);
	hv_close(h);
	return HVCTL_OK;
}
