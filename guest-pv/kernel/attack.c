/*
 * mode=attack (a domU): try every way guest-pv knows to reach memory that
 * is not its own, and report. hv must refuse each attempt with an error
 * (or a fault the guest sees), never let one through:
 *
 *   - map frames it does not own (by update_va_mapping and mmu_update,
 *     read-only and writable), including hv's own page-table frames;
 *   - link hv's L3 (the one behind the M2P slot) into its own L4;
 *   - write its page table directly, with and without the
 *     writable-page-tables assist, to map a foreign frame;
 *   - name another domain in mmu_update/mmuext_op, grant maps, event
 *     channels and reservations.
 *
 * mode=guard (dom0): offer live targets first (a page granted read-only to
 * the attacker, one granted to another domain, a port offered to another
 * domain), fill memory with a pattern, sleep while the attacker works,
 * then check every byte. Together: the isolation scenario. The attacker
 * first maps the read-only grant read-only, which must work: it shows the
 * targets are there, so their refusals mean something.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>

#include "../tests/frames.h"

#define P 0x001UL
#define RW 0x002UL
#define US 0x004UL
#define ADDR 0x000ffffffffff000UL

static uint8_t target[PAGE_SIZE] __aligned(PAGE_SIZE);
static unsigned long attempts, breaches;

/* What mode=guard offers (dom0's grant refs; its port is whatever it gets). */
#define GUARD_REF_RO_TO_ATTACKER  6
#define GUARD_REF_TO_OTHER        5
#define ATTACKER                  1
#define OTHER_DOMAIN              2	/* not running: grants to it are no one's */

static const volatile uint64_t *const m2p = (const volatile uint64_t *)MACH2PHYS_VIRT_START;

/* Our frames, sorted, for a quick "is it ours?". */
#define MAX_OWN 65536
static uint64_t own[MAX_OWN];
static size_t nr_own;

static void collect_own(void)
{
	nr_own = start_info->nr_pages < MAX_OWN ? start_info->nr_pages : MAX_OWN;
	memcpy(own, p2m, nr_own * sizeof(own[0]));
	sort_u64(own, nr_own);
}

static bool is_own(uint64_t mfn)
{
	size_t lo = 0, hi = nr_own;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (own[mid] == mfn)
			return true;
		if (own[mid] < mfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* One attempt: rc 0 (or a mapping that took) is a breach. */
static void expect_refused(const char *what, uint64_t mfn, long rc)
{
	attempts++;
	if (rc == 0) {
		breaches++;
		printf("guest-pv: attack: BREACH: %s of mfn %#lx succeeded\n", what, mfn);
	}
}

static uint64_t read_cr3(void)
{
	uint64_t cr3;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
	return cr3;
}

/* A page-table frame of the initial region, through its read-only mapping. */
static uint64_t *table_va(uint64_t mfn)
{
	return (uint64_t *)(VIRT_BASE + (m2p[mfn] << PAGE_SHIFT));
}

/* The L1 entry that maps va (initial region) through its read-only mapping, and its machine address. */
static uint64_t *l1e_ptr(const void *va, uint64_t *maddr)
{
	uint64_t v = (uint64_t)va, mfn = read_cr3() >> PAGE_SHIFT;

	for (int level = 3; level > 0; level--)
		mfn = (table_va(mfn)[(v >> (12 + 9 * level)) & 511] & ADDR) >> PAGE_SHIFT;
	*maddr = (mfn << PAGE_SHIFT) + ((v >> 12) & 511) * 8;
	return &table_va(mfn)[(v >> 12) & 511];
}

static void map_foreign_frames(void)
{
	uint64_t max = (uint64_t)HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL), addr;
	uint64_t *pte = l1e_ptr(target, &addr), orig = *pte;
	unsigned int tried = 0;

	/* Frames all over memory: every one not ours must be refused. */
	for (uint64_t mfn = 1; mfn < max && tried < 512; mfn += max / 509 + 1) {
		struct mmu_update u = { .ptr = addr | MMU_NORMAL_PT_UPDATE, .val = (mfn << 12) | P | US };

		if (is_own(mfn))
			continue;
		tried++;
		expect_refused("update_va_mapping RO", mfn,
			       HYPERVISOR_update_va_mapping((uint64_t)target, (mfn << 12) | P | US,
							    UVMF_INVLPG));
		expect_refused("update_va_mapping RW", mfn,
			       HYPERVISOR_update_va_mapping((uint64_t)target, (mfn << 12) | P | RW | US,
							    UVMF_INVLPG));
		expect_refused("mmu_update RO", mfn, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	}
	if (*pte != orig)
		HYPERVISOR_update_va_mapping((uint64_t)target, orig, UVMF_INVLPG);
	printf("guest-pv: attack: %u foreign frames tried\n", tried);
}

static void reach_hv_tables(void)
{
	uint64_t l4 = read_cr3() >> PAGE_SHIFT, hv_l3 = (table_va(l4)[256] & ADDR) >> PAGE_SHIFT;
	struct mmu_update u = { .ptr = (l4 << PAGE_SHIFT) + 300 * 8, .val = (hv_l3 << 12) | P | RW | US };
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L3_TABLE, .arg1.mfn = hv_l3 };

	expect_refused("linking hv's L3 into our L4", hv_l3, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	expect_refused("mapping hv's L3", hv_l3,
		       HYPERVISOR_update_va_mapping((uint64_t)target, (hv_l3 << 12) | P | US, UVMF_INVLPG));
	expect_refused("pinning hv's L3", hv_l3, HYPERVISOR_mmuext_op(&pin, 1, NULL, DOMID_SELF));
	/* Our own L4 writable would let us write any entry. */
	expect_refused("mapping our L4 writable", l4,
		       HYPERVISOR_update_va_mapping((uint64_t)target, (l4 << 12) | P | RW | US, UVMF_INVLPG));
	HYPERVISOR_update_va_mapping((uint64_t)target, (va_to_mfn(target) << 12) | P | RW | US, UVMF_INVLPG);
}

static void write_page_table_directly(uint64_t foreign)
{
	uint64_t addr, *pte = l1e_ptr(target, &addr), orig = *pte;

	/* Without the assist the L1 is plainly read-only: the write faults. */
	attempts++;
	if (probe_write_u64(pte, (foreign << 12) | P | RW | US) || *pte != orig) {
		breaches++;
		printf("guest-pv: attack: BREACH: direct page-table write took\n");
	}
	/* With it, hv checks the write like any update and refuses this one. */
	if (HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables)) {
		printf("guest-pv: attack: SETUP FAILED: writable_pagetables assist refused\n");
		return;
	}
	attempts++;
	if (probe_write_u64(pte, (foreign << 12) | P | RW | US) || *pte != orig) {
		breaches++;
		printf("guest-pv: attack: BREACH: emulated page-table write of a foreign frame took\n");
	}
	HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables);
}

static void name_other_domains(uint64_t foreign)
{
	struct mmu_update u = { .ptr = MMU_MACHPHYS_UPDATE | (foreign << 12), .val = 0 };
	struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = foreign };
	struct evtchn_bind_interdomain bi = { .remote_dom = 0 };
	struct xen_memory_reservation r = { .nr_extents = 1, .extent_order = 0, .domid = 0 };
	xen_pfn_t frame = foreign;

	expect_refused("mmu_update naming dom0", foreign, HYPERVISOR_mmu_update(&u, 1, NULL, 0));
	expect_refused("M2P update of a foreign frame", foreign,
		       HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	expect_refused("mmuext_op naming dom0", foreign, HYPERVISOR_mmuext_op(&op, 1, NULL, 0));
	expect_refused("mmu_update with DOMID_IO", foreign, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_IO));
	for (uint32_t ref = 0; ref < 16; ref++) {
		struct gnttab_map_grant_ref m = {
			.host_addr = (uint64_t)target, .flags = GNTMAP_host_map, .ref = ref, .dom = 0,
		};

		HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
		expect_refused("mapping dom0's grant writable", ref, m.status);
		if (ref == GUARD_REF_RO_TO_ATTACKER)
			continue;		/* ours to map read-only: the control */
		m.flags = GNTMAP_host_map | GNTMAP_readonly;
		HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
		expect_refused("mapping dom0's grant read-only", ref, m.status);
	}
	for (uint32_t port = 1; port < 16; port++) {
		bi.remote_port = port;
		expect_refused("binding dom0's port", port,
			       HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi));
	}
	r.extent_start = (uint64_t)&frame;
	attempts++;
	if (HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r) != 0) {
		breaches++;
		printf("guest-pv: attack: BREACH: freed dom0's frame\n");
	}
	r.domid = DOMID_SELF;
	attempts++;
	if (HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r) != 0) {
		breaches++;
		printf("guest-pv: attack: BREACH: freed a frame that is not ours\n");
	}
}

/*
 * The control: dom0's read-only grant to us maps read-only (waiting until
 * the guard has made it), reads the guard's pattern, and unmaps. False if
 * it never works: then the refusals below would prove nothing.
 */
static bool map_offered_grant(void)
{
	struct gnttab_map_grant_ref m = {
		.host_addr = (uint64_t)target, .flags = GNTMAP_host_map | GNTMAP_readonly,
		.ref = GUARD_REF_RO_TO_ATTACKER, .dom = 0,
	};
	struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)target };
	uint64_t deadline = now_ns() + 5000000000UL, word;

	do {
		HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
		if (m.status == GNTST_okay)
			break;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	} while (now_ns() < deadline);
	if (m.status != GNTST_okay)
		return false;
	word = *(volatile uint64_t *)target;
	u.handle = m.handle;
	HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
	HYPERVISOR_update_va_mapping((uint64_t)target, (va_to_mfn(target) << 12) | P | RW | US,
				     UVMF_INVLPG);
	printf("guest-pv: attack: control: dom0's read-only grant maps read-only (%#lx)\n", word);
	return u.status == GNTST_okay;
}

void attack_run(void)
{
	uint64_t max = (uint64_t)HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL), foreign = 0;

	printf("guest-pv: attack: trying to reach memory that is not ours\n");
	collect_own();
	for (uint64_t mfn = max / 2; mfn > 0x100 && !foreign; mfn--)
		if (!is_own(mfn) && m2p[mfn] != ~0UL)
			foreign = mfn;		/* someone's RAM frame */
	if (!foreign || !map_offered_grant()) {
		printf("guest-pv: attack: SETUP FAILED: %s\n",
		       foreign ? "dom0's read-only grant never mapped" : "no foreign frame found");
		return;
	}
	printf("guest-pv: attack: foreign frame %#lx\n", foreign);
	map_foreign_frames();
	reach_hv_tables();
	write_page_table_directly(foreign);
	name_other_domains(foreign);
	if (breaches)
		printf("guest-pv: attack: %lu of %lu attempts SUCCEEDED\n", breaches, attempts);
	else
		printf("guest-pv: attack: all %lu attempts refused\n", attempts);
}

/* mode=guard: dom0's memory must come through an attack intact. */
#define GUARD_PAGES 256
static uint64_t guarded[GUARD_PAGES][PAGE_SIZE / 8] __aligned(PAGE_SIZE);

void guard_run(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = OTHER_DOMAIN };
	unsigned long bad = 0;

	for (unsigned int p = 0; p < GUARD_PAGES; p++)
		for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
			guarded[p][i] = 0x5a5a000000000000UL | ((uint64_t)p << 16) | i;
	if (!grant_entries() || HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au))
		panic("guard: cannot offer the attacker its targets");
	grant_page(GUARD_REF_RO_TO_ATTACKER, guarded[0], ATTACKER, GTF_permit_access | GTF_readonly);
	grant_page(GUARD_REF_TO_OTHER, guarded[1], OTHER_DOMAIN, GTF_permit_access);
	printf("guest-pv: guard: %u pages filled; ref %u granted read-only to domain %u, ref %u "
	       "to domain %u, port %u offered to domain %u\n", GUARD_PAGES,
	       GUARD_REF_RO_TO_ATTACKER, ATTACKER, GUARD_REF_TO_OTHER, OTHER_DOMAIN, au.port,
	       OTHER_DOMAIN);
	sleep_run();			/* ms= on the command line */
	for (unsigned int p = 0; p < GUARD_PAGES; p++)
		for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
			if (guarded[p][i] != (0x5a5a000000000000UL | ((uint64_t)p << 16) | i))
				bad++;
	if (bad)
		printf("guest-pv: guard: %lu words CHANGED\n", bad);
	else
		printf("guest-pv: guard: %u pages intact\n", GUARD_PAGES);
}
