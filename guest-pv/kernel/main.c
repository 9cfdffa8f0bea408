/*
 * guest-pv start of day, read top to bottom: remember start_info, bring
 * up the console and the trap table, map shared_info, then run the mode
 * the command line asks for and shut down.
 *
 * Command line (start_info.cmd_line, space-separated key=value words; a
 * first word without '=' is the image name and ignored):
 *   mode=tests   run the ABI test suite (default); tests=glob,glob selects
 *   mode=bench   micro-benchmarks, one parseable line each
 *   mode=fault   take an unexpected #PF on purpose (checks the crash path)
 *   mode=panic   panic on purpose
 *   mode=idle    block forever
 *   mode=ping, pong, spin, sleep, hammer, ctlhammer: runs with several domains, and
 *   mode=echo: console input (kernel/domains.c)
 *   mode=gdt_race: a domU with two vCPUs pulls a GDT entry from under the
 *   hypervisor's return to user mode (kernel/gdt_race.c)
 *   mode=selectors: data selectors stay the domain's own across switches
 *   to other domains; a reload that fails gets the failsafe callback
 *   (kernel/selectors.c)
 *   mode=batch_hammer: a domU issuing the longest batches it can, forever
 *   (kernel/batch_hammer.c)
 *   mode=control, peer, churn, watch: guest-pv as dom0's toolstack,
 *   building and destroying other domains (kernel/control.c), on hv or
 *   (control and peer, target=xen) on Xen 4.17; mode=bench_domu and
 *   bench_peer: benchmarks between dom0 and a domain it built
 *   target=xen|hv  which hypervisor this is, for tests that only make
 *                sense on one of them (otherwise they are skipped)
 */
#include <guest/arch.h>
#include <guest/control.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <guest/test.h>
#include <public/sched.h>

void __noreturn guest_start(const struct start_info *si);

const struct start_info *start_info;
struct shared_info *shared_info;
const uint64_t *p2m;

/* The VA where shared_info gets mapped; its original frame is given up. */
static uint8_t shared_info_page[PAGE_SIZE] __aligned(PAGE_SIZE) __attribute__((section(".bss.page_aligned")));

#define PTE_PRESENT     0x001UL
#define PTE_RW          0x002UL
#define PTE_USER        0x004UL
#define PTE_ACCESSED    0x020UL
#define PTE_DIRTY       0x040UL

bool is_initial_domain(void)
{
	return start_info->flags & SIF_INITDOMAIN;
}

bool cmdline_get(const char *key, char *buf, size_t size)
{
	const char *p = start_info->cmd_line;
	const char *end = p + strnlen(p, sizeof(start_info->cmd_line));
	size_t klen = strlen(key);

	while (p < end) {
		const char *w = p;
		size_t wlen;

		while (p < end && *p != ' ')
			p++;
		wlen = (size_t)(p - w);
		if (wlen > klen && !strncmp(w, key, klen) && w[klen] == '=') {
			size_t vlen = wlen - klen - 1;

			if (vlen >= size)
				vlen = size - 1;
			memcpy(buf, w + klen + 1, vlen);
			buf[vlen] = '\0';
			return true;
		}
		while (p < end && *p == ' ')
			p++;
	}
	return false;
}

const char *target_hypervisor(void)
{
	static char target[8];

	if (!cmdline_get("target", target, sizeof(target)))
		return NULL;
	if (!strcmp(target, "xen") || !strcmp(target, "hv"))
		return target;
	return NULL;
}

/*
 * Map shared_info over our reserved page. A failure is not fatal: only
 * cr2 reports and the shared_info tests need it.
 */
static void map_shared_info(void)
{
	uint64_t pte = (start_info->shared_info & ~(PAGE_SIZE - 1)) |
		       PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY;
	long rc = HYPERVISOR_update_va_mapping((unsigned long)shared_info_page, pte, UVMF_INVLPG);

	if (rc) {
		printf("guest-pv: cannot map shared_info (update_va_mapping: %ld)\n", rc);
		return;
	}
	shared_info = (struct shared_info *)shared_info_page;
	vcpu0 = &shared_info->vcpu_info[0];
}

static void __noreturn fault_on_purpose(void)
{
	const volatile uint64_t *p;

	/* Hide the constant from the compiler, which knows 0x10 is no object. */
	__asm__("" : "=r"(p) : "0"(0x10UL));
	printf("guest-pv: mode=fault: reading address 0x10\n");
	(void)*p;
	panic("mode=fault: the read of 0x10 did not fault");
}

static void __noreturn idle(void)
{
	printf("guest-pv: idle\n");
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}

void __noreturn guest_start(const struct start_info *si)
{
	char mode[16] = "tests";
	char filter[MAX_GUEST_CMDLINE] = "*";

	start_info = si;
	p2m = (const uint64_t *)si->mfn_list;
	console_init(si);
	printf("guest-pv: start_info %p magic \"%.32s\" nr_pages %lu flags %#x\n",
	       (const void *)si, si->magic, si->nr_pages, si->flags);
	traps_init();
	map_shared_info();
	printf("guest-pv: cmdline \"%s\"\n", si->cmd_line);

	cmdline_get("mode", mode, sizeof(mode));
	cmdline_get("tests", filter, sizeof(filter));

	if (!strcmp(mode, "tests")) {
		tests_run(filter);
	} else if (!strcmp(mode, "bench")) {
		bench_run();
	} else if (!strcmp(mode, "fault")) {
		fault_on_purpose();
	} else if (!strcmp(mode, "panic")) {
		panic("mode=panic");
	} else if (!strcmp(mode, "idle")) {
		idle();
	} else if (!strcmp(mode, "ping")) {
		ping_run();
	} else if (!strcmp(mode, "pong")) {
		pong_run();
	} else if (!strcmp(mode, "spin")) {
		spin_run();
	} else if (!strcmp(mode, "sleep")) {
		sleep_run();
	} else if (!strcmp(mode, "hammer")) {
		hammer_run();
	} else if (!strcmp(mode, "ctlhammer")) {
		ctlhammer_run();
	} else if (!strcmp(mode, "echo")) {
		echo_run();
	} else if (!strcmp(mode, "batch_hammer")) {
		batch_hammer_run();
	} else if (!strcmp(mode, "gdt_race")) {
		gdt_race_run();
	} else if (!strcmp(mode, "selectors")) {
		selectors_run();
	} else if (!strcmp(mode, "attack")) {
		attack_run();
	} else if (!strcmp(mode, "guard")) {
		guard_run();
	} else if (!strcmp(mode, "control")) {
		control_run();
	} else if (!strcmp(mode, "peer")) {
		peer_run();
	} else if (!strcmp(mode, "churn")) {
		churn_run();
	} else if (!strcmp(mode, "watch")) {
		watch_run();
	} else if (!strcmp(mode, "bench_domu")) {
		bench_domu_run();
	} else if (!strcmp(mode, "bench_peer")) {
		bench_peer_run();
	} else {
		panic("unknown mode=%s", mode);
	}
	printf("guest-pv: powering off\n");
	shutdown(SHUTDOWN_poweroff);
}
