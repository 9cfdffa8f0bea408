/*
 * grant_table_op (#20), v1 mappings: map_grant_ref and unmap_grant_ref as
 * a PV backend uses them (GNTMAP_host_map at a VA, or at an L1 entry with
 * GNTMAP_contains_pte; GNTMAP_device_map for a bus address), and
 * unmap_and_replace. dom0 grants its own pages to itself under its own id
 * (0): on Xen without a toolstack it is the only domain, so these tests
 * run as dom0 only.
 *
 * Xen 4.17's rules pinned down here (xen/common/grant_table.c,
 * xen/arch/x86/pv/grant_table.c):
 *  - the op's `dom` is a real domain id: DOMID_SELF is GNTST_bad_domain;
 *  - flags with neither host_map nor device_map: GNTST_bad_gntref;
 *  - a read-only grant mapped writable, a grant to another domain or of
 *    another type, a page table mapped writable, a VA without an L1
 *    table: GNTST_general_error, and the entry is left as it was;
 *  - a granted frame the granter does not own: GNTST_bad_page;
 *  - unmapping a handle not in use: GNTST_bad_handle; at a VA that does
 *    not map the grant: GNTST_general_error and the mapping stays;
 *  - unmap empties the PTE (it does not bring back what was there);
 *  - unmap_and_replace moves new_addr's entry only into the place of a
 *    host mapping that goes: with host_addr 0 or a device-only handle it
 *    is GNTST_okay and new_addr keeps its entry; a contains_pte mapping or
 *    a new_addr without an L1 table is GNTST_general_error.
 * The group is grant_map, for hv's scenario to take up once hv maps grants.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/grant_table.h>
#include "frames.h"

#define SELF        0           /* dom0's own id */
#define REF_A       16
#define REF_B       17
#define REF_C       18
#define NO_STATUS   0x7fff      /* the hypercall itself failed */

static uint8_t granted[2][PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t host[2][PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t ptpage[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t victim[PAGE_SIZE] __aligned(PAGE_SIZE);	/* new_addr of unmap_and_replace */

static struct grant_entry_v1 *gt;

#define NEED_TABLE() do {                                                       \
	if (!is_initial_domain())                                               \
		SKIP("grants to itself need the domain's own id: dom0 only");   \
	gt = grant_entries();                                                   \
	if (!gt)                                                                \
		SKIP("the grant table cannot be set up and mapped");            \
} while (0)

static int16_t map_one(unsigned int ref, uint64_t host_addr, uint32_t flags, domid_t dom,
		       grant_handle_t *handle, uint64_t *bus)
{
	struct gnttab_map_grant_ref m = {
		.host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom,
		.status = NO_STATUS, .handle = 0xdeadbeef, .dev_bus_addr = 0xdeadbeef,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);

	CHECK_RC("map_grant_ref's result", 0, rc);
	if (handle)
		*handle = m.handle;
	if (bus)
		*bus = m.dev_bus_addr;
	return rc ? NO_STATUS : m.status;
}

static int16_t unmap_one(uint64_t host_addr, uint64_t bus, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref u = {
		.host_addr = host_addr, .dev_bus_addr = bus, .handle = handle, .status = NO_STATUS,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);

	CHECK_RC("unmap_grant_ref's result", 0, rc);
	return rc ? NO_STATUS : u.status;
}

static int16_t replace_one(uint64_t host_addr, uint64_t new_addr, grant_handle_t handle)
{
	struct gnttab_unmap_and_replace r = {
		.host_addr = host_addr, .new_addr = new_addr, .handle = handle, .status = NO_STATUS,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &r, 1);

	CHECK_RC("unmap_and_replace's result", 0, rc);
	return rc ? NO_STATUS : r.status;
}

/* Empty va's PTE: grant mappings go into empty entries, as Linux's do. */
static void vacate(void *va)
{
	CHECK_RC("empty the host VA's PTE", 0, map_va(va, 0, 0));
}

static uint64_t pte_frame(const void *va)
{
	return (l1e_of(va, NULL) & PTE_ADDR) >> PAGE_SHIFT;
}

/* The PTE a host mapping of `mfn` must have put at va. */
static void check_grant_pte(const void *va, uint64_t mfn, bool writable)
{
	uint64_t e = l1e_of(va, NULL);
	uint64_t want = PTE_P | PTE_A | PTE_D | PTE_NX | (writable ? PTE_RW : 0);

	CHECK_EQ("PTE frame", mfn, (e & PTE_ADDR) >> PAGE_SHIFT);
	CHECK_EQ("PTE flags (P A D NX, RW)", want, e & (PTE_P | PTE_RW | PTE_A | PTE_D | PTE_NX));
}

static void end_grants(void)
{
	gt[REF_A].flags = 0;
	gt[REF_B].flags = 0;
	gt[REF_C].flags = 0;
}

TEST(grant_map, map_readwrite)
{
	uint64_t mfn = va_to_mfn(granted[0]), bus = 0;
	volatile uint8_t *h = host[0], *g = granted[0];
	grant_handle_t handle = 0;
	int16_t st;

	NEED_TABLE();
	memset(granted[0], 0x11, PAGE_SIZE);
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, SELF, &handle, &bus);
	CHECK_ST("map (host_map, read-write)", GNTST_okay, st);
	if (st == GNTST_okay) {
		CHECK_EQ("dev_bus_addr", mfn << PAGE_SHIFT, bus);
		CHECK_EQ("entry flags while mapped", GTF_permit_access | GTF_reading | GTF_writing,
			 gt[REF_A].flags);
		check_grant_pte(host[0], mfn, true);
		CHECK_EQ("granted contents through the mapping", 0x11, h[123]);
		h[0] = 0xab;
		g[4095] = 0xcd;
		CHECK_EQ("a write through the mapping reaches the frame", 0xab, g[0]);
		CHECK_EQ("a write to the frame shows in the mapping", 0xcd, h[4095]);
		CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
		CHECK_EQ("PTE after unmap: empty", 0, l1e_of(host[0], NULL));
		CHECK_EQ("entry flags after unmap", GTF_permit_access, gt[REF_A].flags);
	}
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	end_grants();
}

TEST(grant_map, map_readonly)
{
	uint64_t mfn = va_to_mfn(granted[0]);
	grant_handle_t handle = 0;
	int16_t st;

	NEED_TABLE();
	memset(granted[0], 0x22, PAGE_SIZE);
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map | GNTMAP_readonly, SELF, &handle, NULL);
	CHECK_ST("map (host_map | readonly)", GNTST_okay, st);
	if (st == GNTST_okay) {
		CHECK_EQ("entry flags: reading only", GTF_permit_access | GTF_reading, gt[REF_A].flags);
		check_grant_pte(host[0], mfn, false);
		CHECK_EQ("read through the mapping", 0x22, ((volatile uint8_t *)host[0])[7]);
		CHECK(!va_writable(host[0]), "a read-only grant mapping took a write");
		CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
		CHECK_EQ("entry flags after unmap", GTF_permit_access, gt[REF_A].flags);
	}
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	end_grants();
}

/*
 * GTF_sub_page (a v2 flag) on an entry: mapping it is refused, whatever
 * the table's version (Xen 4.17 does so for v1 too): only a copy may use
 * a sub-page grant, and in v1 it copies from it like from any other.
 */
TEST(grant_map, sub_page_grant_not_mapped)
{
	grant_handle_t handle = 0;
	int16_t st;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access | GTF_sub_page);
	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map | GNTMAP_readonly, SELF, &handle, NULL);
	CHECK_ST("map an entry with GTF_sub_page", GNTST_general_error, st);
	if (st == GNTST_okay)
		CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
	CHECK_EQ("its flags untouched", GTF_permit_access | GTF_sub_page, gt[REF_A].flags);
	/* A copy from it works: Xen's v1 copy does not look at GTF_sub_page. */
	memset(granted[0], 0x6b, PAGE_SIZE);
	memset(granted[1], 0, PAGE_SIZE);
	{
		struct gnttab_copy c = {
			.source = { .u.ref = REF_A, .domid = SELF },
			.dest = { .u.gmfn = va_to_mfn(granted[1]), .domid = DOMID_SELF },
			.len = 16, .flags = GNTCOPY_source_gref, .status = NO_STATUS,
		};

		CHECK_RC("copy from it", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1));
		CHECK_ST("copy status", GNTST_okay, c.status);
		CHECK_EQ("bytes copied", 0x6b, granted[1][0] & granted[1][15]);
	}
	CHECK_EQ("its flags after the copy", GTF_permit_access | GTF_sub_page, gt[REF_A].flags);
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	end_grants();
}

TEST(grant_map, readonly_grant_never_writable)
{
	grant_handle_t handle = 0;
	uint64_t before;
	int16_t st;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access | GTF_readonly);
	before = l1e_of(host[0], NULL);
	/* Xen says general_error here, not permission_denied. */
	CHECK_ST("map a read-only grant writable", GNTST_general_error,
		 map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, SELF, NULL, NULL));
	CHECK_EQ("entry flags untouched", GTF_permit_access | GTF_readonly, gt[REF_A].flags);
	CHECK_EQ("host PTE untouched", before, l1e_of(host[0], NULL));
	CHECK_ST("device_map a read-only grant writable", GNTST_general_error,
		 map_one(REF_A, 0, GNTMAP_device_map, SELF, NULL, NULL));
	CHECK_EQ("entry flags untouched", GTF_permit_access | GTF_readonly, gt[REF_A].flags);

	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map | GNTMAP_readonly, SELF, &handle, NULL);
	CHECK_ST("map it read-only", GNTST_okay, st);
	CHECK_EQ("entry flags", GTF_permit_access | GTF_readonly | GTF_reading, gt[REF_A].flags);
	if (st == GNTST_okay)
		CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	end_grants();
}

TEST(grant_map, two_mappings_of_one_grant)
{
	grant_handle_t ro = 0, rw = 0;
	int16_t s1, s2;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	vacate(host[0]);
	vacate(host[1]);
	s1 = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map | GNTMAP_readonly, SELF, &ro, NULL);
	CHECK_ST("map read-only", GNTST_okay, s1);
	s2 = map_one(REF_A, (uint64_t)host[1], GNTMAP_host_map, SELF, &rw, NULL);
	CHECK_ST("map read-write too", GNTST_okay, s2);
	CHECK(ro != rw, "both mappings got handle %#x", ro);
	CHECK_EQ("entry flags with both", GTF_permit_access | GTF_reading | GTF_writing, gt[REF_A].flags);
	if (s2 == GNTST_okay)
		CHECK_ST("unmap the writable one", GNTST_okay, unmap_one((uint64_t)host[1], 0, rw));
	/* Writing ends with the last writable use; reading goes on. */
	CHECK_EQ("entry flags with the read-only one left", GTF_permit_access | GTF_reading,
		 gt[REF_A].flags);
	if (s1 == GNTST_okay)
		CHECK_ST("unmap the read-only one", GNTST_okay, unmap_one((uint64_t)host[0], 0, ro));
	CHECK_EQ("entry flags after both", GTF_permit_access, gt[REF_A].flags);
	CHECK_RC("restore host VA 0", 0, restore_va(host[0]));
	CHECK_RC("restore host VA 1", 0, restore_va(host[1]));
	end_grants();
}

TEST(grant_map, bad_refs_and_entries)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	uint64_t before = 0;

	NEED_TABLE();
	CHECK_RC("query_size", 0, HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1));
	before = l1e_of(host[0], NULL);
	CHECK_ST("map the first ref past the table", GNTST_bad_gntref,
		 map_one(q.nr_frames * (PAGE_SIZE / sizeof(struct grant_entry_v1)), (uint64_t)host[0],
			 GNTMAP_host_map, SELF, NULL, NULL));
	CHECK_ST("map ref 0x7fffffff", GNTST_bad_gntref,
		 map_one(0x7fffffff, (uint64_t)host[0], GNTMAP_host_map, SELF, NULL, NULL));

	/* Entries that grant nothing to us. */
	gt[REF_C].flags = 0;
	CHECK_ST("map an unused entry", GNTST_general_error,
		 map_one(REF_C, (uint64_t)host[0], GNTMAP_host_map, SELF, NULL, NULL));
	CHECK_EQ("unused entry untouched", 0, gt[REF_C].flags);
	grant_page(REF_C, granted[0], 0x1234, GTF_permit_access);
	CHECK_ST("map a grant to another domain", GNTST_general_error,
		 map_one(REF_C, (uint64_t)host[0], GNTMAP_host_map, SELF, NULL, NULL));
	CHECK_EQ("its flags untouched", GTF_permit_access, gt[REF_C].flags);
	grant_page(REF_C, granted[0], SELF, GTF_accept_transfer);
	CHECK_ST("map an accept_transfer entry", GNTST_general_error,
		 map_one(REF_C, (uint64_t)host[0], GNTMAP_host_map, SELF, NULL, NULL));
	CHECK_EQ("its flags untouched", GTF_accept_transfer, gt[REF_C].flags);
	CHECK_EQ("host PTE untouched", before, l1e_of(host[0], NULL));
	end_grants();
}

TEST(grant_map, bad_domains_and_flags)
{
	uint64_t before;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	before = l1e_of(host[0], NULL);
	/* The granting domain by its real id only. */
	CHECK_ST("map from DOMID_SELF", GNTST_bad_domain,
		 map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, DOMID_SELF, NULL, NULL));
	CHECK_ST("map from DOMID_INVALID", GNTST_bad_domain,
		 map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, DOMID_INVALID, NULL, NULL));
	CHECK_ST("map from domain 0x1234", GNTST_bad_domain,
		 map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, 0x1234, NULL, NULL));
	/* Neither a host nor a device mapping asked for: Xen calls it a bad gntref. */
	CHECK_ST("map with flags 0", GNTST_bad_gntref,
		 map_one(REF_A, (uint64_t)host[0], 0, SELF, NULL, NULL));
	CHECK_ST("map with flags readonly alone", GNTST_bad_gntref,
		 map_one(REF_A, (uint64_t)host[0], GNTMAP_readonly, SELF, NULL, NULL));
	CHECK_EQ("entry flags untouched", GTF_permit_access, gt[REF_A].flags);
	CHECK_EQ("host PTE untouched", before, l1e_of(host[0], NULL));
	end_grants();
}

TEST(grant_map, bad_host_addresses)
{
	uint64_t data_ma = va_to_mfn(granted[1]) << PAGE_SHIFT, word;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	CHECK_ST("map at a VA without an L1 table", GNTST_general_error,
		 map_one(REF_A, 0x10000, GNTMAP_host_map, SELF, NULL, NULL));
	CHECK_EQ("entry flags back", GTF_permit_access, gt[REF_A].flags);
	CHECK_ST("map at a VA in the hypervisor", GNTST_general_error,
		 map_one(REF_A, (uint64_t)BAD_PTR_HV, GNTMAP_host_map, SELF, NULL, NULL));
	CHECK_ST("map at a non-canonical VA", GNTST_general_error,
		 map_one(REF_A, (uint64_t)BAD_PTR_NONCANON, GNTMAP_host_map, SELF, NULL, NULL));
	/* contains_pte: host_addr is the machine address of an L1 entry. */
	memset(granted[1], 0x5a, 64);
	word = *(volatile uint64_t *)granted[1];
	CHECK_ST("contains_pte in a frame that is no page table", GNTST_general_error,
		 map_one(REF_A, data_ma + 8, GNTMAP_host_map | GNTMAP_contains_pte, SELF, NULL, NULL));
	CHECK_EQ("that frame untouched", word, ((volatile uint64_t *)granted[1])[1]);
	CHECK_ST("contains_pte at a misaligned address", GNTST_general_error,
		 map_one(REF_A, data_ma + 4, GNTMAP_host_map | GNTMAP_contains_pte, SELF, NULL, NULL));
	CHECK_ST("contains_pte in the hypervisor's frame", GNTST_general_error,
		 map_one(REF_A, hypervisor_frame() << PAGE_SHIFT, GNTMAP_host_map | GNTMAP_contains_pte,
			 SELF, NULL, NULL));
	CHECK_EQ("entry flags back", GTF_permit_access, gt[REF_A].flags);
	end_grants();
}

TEST(grant_map, frame_not_the_granters)
{
	NEED_TABLE();
	gt[REF_C].domid = SELF;
	gt[REF_C].frame = (uint32_t)hypervisor_frame();
	gt[REF_C].flags = GTF_permit_access | GTF_readonly;
	CHECK_ST("map a grant of the hypervisor's frame", GNTST_bad_page,
		 map_one(REF_C, (uint64_t)host[0], GNTMAP_host_map | GNTMAP_readonly, SELF, NULL, NULL));
	CHECK_EQ("entry flags back", GTF_permit_access | GTF_readonly, gt[REF_C].flags);
	gt[REF_C].frame = 0xffffff00;
	CHECK_ST("map a grant of a frame beyond RAM", GNTST_bad_page,
		 map_one(REF_C, (uint64_t)host[0], GNTMAP_host_map | GNTMAP_readonly, SELF, NULL, NULL));
	CHECK_EQ("entry flags back", GTF_permit_access | GTF_readonly, gt[REF_C].flags);
	CHECK_EQ("host VA still maps its own frame", va_to_mfn(host[0]), pte_frame(host[0]));
	end_grants();
}

TEST(grant_map, unmap_refusals)
{
	volatile uint8_t *h = host[0], *g = granted[0];
	grant_handle_t handle = 0;
	int16_t st;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	CHECK_ST("unmap handle 0xffffffff", GNTST_bad_handle, unmap_one((uint64_t)host[0], 0, 0xffffffff));
	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, SELF, &handle, NULL);
	CHECK_ST("map", GNTST_okay, st);
	if (st == GNTST_okay) {
		/* At a VA that does not map the grant: refused, the mapping stays. */
		CHECK_ST("unmap at the wrong VA", GNTST_general_error,
			 unmap_one((uint64_t)host[1], 0, handle));
		CHECK_EQ("host VA 1 untouched", va_to_mfn(host[1]), pte_frame(host[1]));
		/* host_addr 0 asks to unmap nothing: Xen says okay and keeps the mapping. */
		CHECK_ST("unmap with host_addr 0", GNTST_okay, unmap_one(0, 0, handle));
		CHECK_EQ("still mapped", va_to_mfn(granted[0]), pte_frame(host[0]));
		h[1] = 0x77;
		CHECK_EQ("and usable", 0x77, g[1]);
		CHECK_EQ("entry flags", GTF_permit_access | GTF_reading | GTF_writing, gt[REF_A].flags);
		CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
		CHECK_ST("unmap the same handle again", GNTST_bad_handle,
			 unmap_one((uint64_t)host[0], 0, handle));
		CHECK_EQ("entry flags", GTF_permit_access, gt[REF_A].flags);
	}
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	end_grants();
}

TEST(grant_map, end_grant_while_mapped)
{
	volatile uint8_t *h = host[0], *g = granted[0];
	grant_handle_t handle = 0;
	uint16_t seen = GTF_permit_access;
	int16_t st;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, SELF, &handle, NULL);
	CHECK_ST("map", GNTST_okay, st);
	if (st != GNTST_okay) {
		restore_va(host[0]);
		end_grants();
		return;
	}
	/* A granter ends access with a compare-exchange that expects no reading/writing. */
	CHECK(!__atomic_compare_exchange_n(&gt[REF_A].flags, &seen, 0, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST),
	      "ending the grant succeeded while it is mapped");
	CHECK_EQ("what the granter sees", GTF_permit_access | GTF_reading | GTF_writing, seen);
	/* A granter that clears the entry anyway does not end the mapping. */
	gt[REF_A].flags = 0;
	h[2] = 0x99;
	CHECK_EQ("the mapping still reaches the frame", 0x99, g[2]);
	CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
	CHECK_EQ("entry flags after unmap", 0, gt[REF_A].flags);
	CHECK_ST("map the ended grant", GNTST_general_error,
		 map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, SELF, NULL, NULL));
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	end_grants();
}

TEST(grant_map, device_map)
{
	uint64_t mfn = va_to_mfn(granted[0]), bus = 0, before;
	grant_handle_t handle = 0;
	int16_t st;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	before = l1e_of(host[0], NULL);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_device_map, SELF, &handle, &bus);
	CHECK_ST("device_map", GNTST_okay, st);
	if (st == GNTST_okay) {
		CHECK_EQ("dev_bus_addr", mfn << PAGE_SHIFT, bus);
		CHECK_EQ("entry flags", GTF_permit_access | GTF_reading | GTF_writing, gt[REF_A].flags);
		CHECK_EQ("host_addr ignored: its PTE untouched", before, l1e_of(host[0], NULL));
		CHECK_ST("unmap at the wrong bus address", GNTST_bad_dev_addr,
			 unmap_one(0, bus + PAGE_SIZE, handle));
		CHECK_ST("unmap", GNTST_okay, unmap_one(0, bus, handle));
		CHECK_EQ("entry flags after unmap", GTF_permit_access, gt[REF_A].flags);
	}

	/* Host and device at once, read-only; unmapped one half at a time. */
	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map | GNTMAP_device_map | GNTMAP_readonly,
		     SELF, &handle, &bus);
	CHECK_ST("host_map | device_map | readonly", GNTST_okay, st);
	if (st == GNTST_okay) {
		check_grant_pte(host[0], mfn, false);
		CHECK_ST("unmap the host half", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
		CHECK_EQ("PTE emptied", 0, l1e_of(host[0], NULL));
		CHECK_EQ("entry flags: the device half still reads", GTF_permit_access | GTF_reading,
			 gt[REF_A].flags);
		CHECK_ST("unmap the device half", GNTST_okay, unmap_one(0, bus, handle));
		CHECK_EQ("entry flags after both", GTF_permit_access, gt[REF_A].flags);
		CHECK_ST("unmap once more", GNTST_bad_handle, unmap_one(0, bus, handle));
	}
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	end_grants();
}

TEST(grant_map, page_table_frame)
{
	uint64_t pt = va_to_mfn(ptpage);
	grant_handle_t handle = 0;
	int16_t st;

	NEED_TABLE();
	memset(ptpage, 0, PAGE_SIZE);
	vacate(ptpage);
	CHECK_RC("pin the page as an L1", 0, mmuext_on(MMUEXT_PIN_L1_TABLE, pt));
	grant_page(REF_B, ptpage, SELF, GTF_permit_access);
	vacate(host[0]);
	CHECK_ST("map a page table writable", GNTST_general_error,
		 map_one(REF_B, (uint64_t)host[0], GNTMAP_host_map, SELF, NULL, NULL));
	CHECK_EQ("entry flags back", GTF_permit_access, gt[REF_B].flags);
	st = map_one(REF_B, (uint64_t)host[0], GNTMAP_host_map | GNTMAP_readonly, SELF, &handle, NULL);
	CHECK_ST("map it read-only", GNTST_okay, st);
	if (st == GNTST_okay) {
		CHECK_EQ("read an (empty) entry through it", 0, ((volatile uint64_t *)host[0])[5]);
		CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
	}
	CHECK_RC("unpin", 0, mmuext_on(MMUEXT_UNPIN_TABLE, pt));
	CHECK_RC("restore the page", 0, restore_va(ptpage));
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	end_grants();
}

TEST(grant_map, contains_pte)
{
	uint64_t mfn = va_to_mfn(granted[0]), pte_ma = 0;
	volatile uint8_t *h = host[0], *g = granted[0];
	grant_handle_t handle = 0;
	int16_t st;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	vacate(host[0]);
	l1e_of(host[0], &pte_ma);
	st = map_one(REF_A, pte_ma, GNTMAP_host_map | GNTMAP_contains_pte, SELF, &handle, NULL);
	CHECK_ST("map into the L1 entry at its machine address", GNTST_okay, st);
	if (st == GNTST_okay) {
		check_grant_pte(host[0], mfn, true);
		h[3] = 0x42;
		CHECK_EQ("a write through it reaches the frame", 0x42, g[3]);
		CHECK_ST("unmap by the same address", GNTST_okay, unmap_one(pte_ma, 0, handle));
		CHECK_EQ("PTE emptied", 0, l1e_of(host[0], NULL));
		CHECK_EQ("entry flags after unmap", GTF_permit_access, gt[REF_A].flags);
	}
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	end_grants();
}

TEST(grant_map, avail_bits)
{
	grant_handle_t handle = 0;
	int16_t st;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	vacate(host[0]);
	/* Flag bits 16-18 land in PTE bits 9-11 (XENFEAT_gnttab_map_avail_bits). */
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map | (5U << _GNTMAP_guest_avail0), SELF,
		     &handle, NULL);
	CHECK_ST("map with avail bits 101b", GNTST_okay, st);
	if (st == GNTST_okay) {
		CHECK_EQ("PTE avail bits", 0xa00, l1e_of(host[0], NULL) & PTE_AVAIL);
		CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
	}
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	end_grants();
}

TEST(grant_map, unmap_and_replace)
{
	struct gnttab_unmap_and_replace r;
	grant_handle_t handle = 0;
	const uint64_t marker = 0x5eed5eed5eed5eedUL;
	uint64_t own1 = va_to_mfn(host[1]);
	int16_t st;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	*(volatile uint64_t *)host[1] = marker;
	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, SELF, &handle, NULL);
	CHECK_ST("map", GNTST_okay, st);
	if (st == GNTST_okay) {
		/* The grant's PTE goes; host[1]'s PTE moves into its place. */
		r = (struct gnttab_unmap_and_replace){ .host_addr = (uint64_t)host[0],
						       .new_addr = (uint64_t)host[1],
						       .handle = handle, .status = NO_STATUS };
		CHECK_RC("unmap_and_replace", 0, HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &r, 1));
		CHECK_ST("status", GNTST_okay, r.status);
		CHECK_EQ("host VA 0 now maps host VA 1's frame", own1, pte_frame(host[0]));
		CHECK_EQ("host VA 1 emptied", 0, l1e_of(host[1], NULL));
		CHECK_EQ("read through host VA 0", marker, *(volatile uint64_t *)host[0]);
		CHECK_EQ("entry flags after", GTF_permit_access, gt[REF_A].flags);
		CHECK_ST("the handle is gone", GNTST_bad_handle,
			 unmap_one((uint64_t)host[0], 0, handle));
	}
	CHECK_RC("restore host VA 1", 0, restore_va(host[1]));

	/* new_addr 0: a plain unmap. */
	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, SELF, &handle, NULL);
	CHECK_ST("map again", GNTST_okay, st);
	if (st == GNTST_okay) {
		r = (struct gnttab_unmap_and_replace){ .host_addr = (uint64_t)host[0], .new_addr = 0,
						       .handle = handle, .status = NO_STATUS };
		CHECK_RC("unmap_and_replace(new_addr 0)", 0,
			 HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &r, 1));
		CHECK_ST("status", GNTST_okay, r.status);
		CHECK_EQ("host VA 0 emptied", 0, l1e_of(host[0], NULL));
	}
	r = (struct gnttab_unmap_and_replace){ .host_addr = (uint64_t)host[0], .new_addr = 0,
					       .handle = 0xffffffff, .status = NO_STATUS };
	CHECK_RC("unmap_and_replace(bad handle)", 0,
		 HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &r, 1));
	CHECK_ST("status", GNTST_bad_handle, r.status);
	CHECK_RC("restore host VA 0", 0, restore_va(host[0]));
	CHECK_EQ("host VA 1 has its own contents back", marker, *(volatile uint64_t *)host[1]);
	end_grants();
}

/*
 * unmap_and_replace that takes no host mapping away (host_addr 0, or a
 * handle mapped for the device only) leaves new_addr alone: its entry
 * moves only into the place of a grant PTE that goes. Were it taken
 * anyway, its references would be lost with it and its frame could never
 * become a page table again.
 */
TEST(grant_map, replace_without_host_mapping)
{
	uint64_t own = va_to_mfn(victim), bus = 0, before;
	grant_handle_t handle = 0;
	long rc;
	int16_t st;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	memset(victim, 0, PAGE_SIZE);
	before = l1e_of(victim, NULL);
	st = map_one(REF_A, 0, GNTMAP_device_map, SELF, &handle, &bus);
	CHECK_ST("device_map", GNTST_okay, st);
	if (st == GNTST_okay) {
		CHECK_ST("replace on a device-only handle", GNTST_okay,
			 replace_one((uint64_t)host[0], (uint64_t)victim, handle));
		CHECK_EQ("new_addr's PTE untouched", before, l1e_of(victim, NULL));
		CHECK_ST("the device mapping is still there", GNTST_okay, unmap_one(0, bus, handle));
	}
	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, SELF, &handle, NULL);
	CHECK_ST("host_map", GNTST_okay, st);
	if (st == GNTST_okay) {
		CHECK_ST("replace with host_addr 0", GNTST_okay, replace_one(0, (uint64_t)victim, handle));
		CHECK_EQ("new_addr's PTE untouched", before, l1e_of(victim, NULL));
		CHECK_EQ("the grant still mapped", va_to_mfn(granted[0]), pte_frame(host[0]));
		CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
	}
	CHECK_RC("restore the host VA", 0, restore_va(host[0]));
	CHECK_EQ("entry flags after", GTF_permit_access, gt[REF_A].flags);
	/* Nothing kept a reference on new_addr's frame: it can become a page table. */
	vacate(victim);
	rc = mmuext_on(MMUEXT_PIN_L1_TABLE, own);
	CHECK_RC("pin new_addr's frame as an L1", 0, rc);
	if (!rc)
		CHECK_RC("unpin", 0, mmuext_on(MMUEXT_UNPIN_TABLE, own));
	CHECK_RC("restore new_addr", 0, restore_va(victim));
	end_grants();
}

/*
 * unmap_and_replace refused: the grant stays mapped. Replacing is for
 * mappings made at a linear address, and new_addr must have an L1 entry.
 * A refusal leaves new_addr's entry where it was on hv; Xen 4.17 empties
 * it when it finds the grant not mapped at host_addr (it took the entry
 * out first), so that case accepts both.
 */
TEST(grant_map, replace_refusals)
{
	uint64_t mfn = va_to_mfn(granted[0]), pte_ma = 0, before, after;
	grant_handle_t handle = 0;
	int16_t st;

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	memset(victim, 0, PAGE_SIZE);
	before = l1e_of(victim, NULL);

	/* A mapping made at an L1 entry's machine address. */
	vacate(host[0]);
	l1e_of(host[0], &pte_ma);
	st = map_one(REF_A, pte_ma, GNTMAP_host_map | GNTMAP_contains_pte, SELF, &handle, NULL);
	CHECK_ST("map with contains_pte", GNTST_okay, st);
	if (st == GNTST_okay) {
		CHECK_ST("replace a contains_pte mapping", GNTST_general_error,
			 replace_one(pte_ma, (uint64_t)victim, handle));
		CHECK_EQ("the grant still mapped", mfn, pte_frame(host[0]));
		CHECK_EQ("new_addr's PTE untouched", before, l1e_of(victim, NULL));
		CHECK_ST("unmap", GNTST_okay, unmap_one(pte_ma, 0, handle));
	}

	vacate(host[0]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, SELF, &handle, NULL);
	CHECK_ST("map at a VA", GNTST_okay, st);
	if (st == GNTST_okay) {
		CHECK_ST("replace from a VA without an L1 table", GNTST_general_error,
			 replace_one((uint64_t)host[0], 0x10000, handle));
		CHECK_EQ("the grant still mapped", mfn, pte_frame(host[0]));
		CHECK_ST("replace at a VA that does not map the grant", GNTST_general_error,
			 replace_one((uint64_t)host[1], (uint64_t)victim, handle));
		CHECK_EQ("the grant still mapped", mfn, pte_frame(host[0]));
		CHECK_EQ("host VA 1 untouched", va_to_mfn(host[1]), pte_frame(host[1]));
		after = l1e_of(victim, NULL);
		CHECK(after == before || after == 0, "new_addr's PTE became %#lx (was %#lx)", after, before);
		CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
	}
	CHECK_RC("restore host VA 0", 0, restore_va(host[0]));
	CHECK_RC("restore new_addr", 0, restore_va(victim));
	CHECK_EQ("entry flags after", GTF_permit_access, gt[REF_A].flags);
	end_grants();
}

/*
 * new_addr holding a grant mapping: hv refuses, as a grant PTE's
 * references are its grant's and only grant ops may move it. Xen 4.17
 * moves it like any other entry, after which the other grant's handle no
 * longer finds its PTE; so this is hv's rule alone.
 */
TEST(grant_map, replace_with_a_grant_pte)
{
	uint64_t mfn = va_to_mfn(granted[0]);
	grant_handle_t handle = 0, other = 0;
	int16_t st, st2;

	ONLY_ON("hv", "Xen 4.17 moves a grant PTE found at new_addr like any other entry");
	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	grant_page(REF_B, granted[1], SELF, GTF_permit_access);
	vacate(host[0]);
	vacate(host[1]);
	st = map_one(REF_A, (uint64_t)host[0], GNTMAP_host_map, SELF, &handle, NULL);
	CHECK_ST("map", GNTST_okay, st);
	st2 = map_one(REF_B, (uint64_t)host[1], GNTMAP_host_map, SELF, &other, NULL);
	CHECK_ST("map the other grant", GNTST_okay, st2);
	if (st == GNTST_okay && st2 == GNTST_okay) {
		CHECK_ST("replace with a grant PTE", GNTST_general_error,
			 replace_one((uint64_t)host[0], (uint64_t)host[1], handle));
		CHECK_EQ("the grant still mapped", mfn, pte_frame(host[0]));
		CHECK_EQ("the other grant still mapped", va_to_mfn(granted[1]), pte_frame(host[1]));
		CHECK_ST("replace with its own PTE", GNTST_general_error,
			 replace_one((uint64_t)host[0], (uint64_t)host[0], handle));
		CHECK_EQ("the grant still mapped", mfn, pte_frame(host[0]));
	}
	if (st2 == GNTST_okay)
		CHECK_ST("unmap the other", GNTST_okay, unmap_one((uint64_t)host[1], 0, other));
	if (st == GNTST_okay)
		CHECK_ST("unmap", GNTST_okay, unmap_one((uint64_t)host[0], 0, handle));
	CHECK_RC("restore host VA 0", 0, restore_va(host[0]));
	CHECK_RC("restore host VA 1", 0, restore_va(host[1]));
	CHECK_EQ("entry A flags after", GTF_permit_access, gt[REF_A].flags);
	CHECK_EQ("entry B flags after", GTF_permit_access, gt[REF_B].flags);
	end_grants();
}

TEST(grant_map, batches_and_bad_arguments)
{
	struct gnttab_map_grant_ref m[3] = {
		{ .host_addr = (uint64_t)host[0], .flags = GNTMAP_host_map, .ref = REF_A, .dom = SELF },
		{ .host_addr = (uint64_t)host[0], .flags = GNTMAP_host_map, .ref = 0x7fffffff, .dom = SELF },
		{ .host_addr = (uint64_t)host[1], .flags = GNTMAP_host_map | GNTMAP_readonly, .ref = REF_B,
		  .dom = SELF },
	};
	struct gnttab_unmap_grant_ref u[2];

	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	grant_page(REF_B, granted[1], SELF, GTF_permit_access | GTF_readonly);
	vacate(host[0]);
	vacate(host[1]);
	m[0].status = m[1].status = m[2].status = NO_STATUS;
	/* One status per element; a bad one does not stop the batch. */
	CHECK_RC("map 3 at once", 0, HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, m, 3));
	CHECK_ST("status 0", GNTST_okay, m[0].status);
	CHECK_ST("status 1", GNTST_bad_gntref, m[1].status);
	CHECK_ST("status 2", GNTST_okay, m[2].status);
	CHECK_EQ("first frame", va_to_mfn(granted[0]), pte_frame(host[0]));
	CHECK_EQ("third frame", va_to_mfn(granted[1]), pte_frame(host[1]));
	u[0] = (struct gnttab_unmap_grant_ref){ .host_addr = (uint64_t)host[0], .handle = m[0].handle,
						.status = NO_STATUS };
	u[1] = (struct gnttab_unmap_grant_ref){ .host_addr = (uint64_t)host[1], .handle = m[2].handle,
						.status = NO_STATUS };
	CHECK_RC("unmap 2 at once", 0, HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, u, 2));
	CHECK_ST("unmap status 0", GNTST_okay, u[0].status);
	CHECK_ST("unmap status 1", GNTST_okay, u[1].status);
	CHECK_EQ("entry A flags", GTF_permit_access, gt[REF_A].flags);
	CHECK_EQ("entry B flags", GTF_permit_access | GTF_readonly, gt[REF_B].flags);
	CHECK_RC("restore host VA 0", 0, restore_va(host[0]));
	CHECK_RC("restore host VA 1", 0, restore_va(host[1]));

	/* Whole-call errors. */
	CHECK_RC("map ops in the hypervisor", -XEN_EFAULT,
		 HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, BAD_PTR_HV, 1));
	CHECK_RC("map ops at an unmapped address", -XEN_EFAULT,
		 HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, BAD_PTR_UNMAPPED, 1));
	CHECK_RC("unmap ops at an unmapped address", -XEN_EFAULT,
		 HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, BAD_PTR_UNMAPPED, 1));
	CHECK_RC("map with a negative count", -XEN_EINVAL,
		 HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, m, 0x80000000U));
	CHECK_RC("map with no ops", 0, HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, m, 0));
	end_grants();
}

/*
 * hv's maptrack holds 65536 handles per domain (Xen's limit is its own).
 * Filled with device mappings, which need no PTE, the next map is
 * GNTST_no_space; a handle unmapped is the next one given out. Finding a
 * free handle must not cost more with the table full than empty: it was
 * a scan of every handle, 65536 steps per map op with the table full, so
 * a domain could make every 4096-op batch of its own cost ~2.7e8 steps
 * on hv's only CPU. The same 256 maps are timed with the table nearly
 * empty and nearly full (the best of three runs each).
 */
#define MAPTRACK_HANDLES 65536
#define MT_BATCH         256
#define MIN(a, b)        ((a) < (b) ? (a) : (b))

static grant_handle_t mt_handles[MAPTRACK_HANDLES];
static struct gnttab_map_grant_ref mt_map[MT_BATCH];
static struct gnttab_unmap_grant_ref mt_unmap[MT_BATCH];

/*
 * n read-only device mappings, their handles kept from mt_handles[first]:
 * of REF_A and REF_B in turn (a grant's pins are 16-bit counts on hv).
 */
static bool mt_map_batch(unsigned int first, unsigned int n, uint64_t *cycles)
{
	uint64_t t0;
	long rc;

	for (unsigned int i = 0; i < n; i++)
		mt_map[i] = (struct gnttab_map_grant_ref){
			.flags = GNTMAP_device_map | GNTMAP_readonly, .ref = (first + i) & 1 ? REF_B : REF_A,
			.dom = SELF, .status = NO_STATUS,
		};
	t0 = rdtsc();
	rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, mt_map, n);
	if (cycles)
		*cycles = rdtsc() - t0;
	CHECK_RC("map a batch", 0, rc);
	for (unsigned int i = 0; i < n; i++) {
		if (mt_map[i].status != GNTST_okay) {
			CHECK_ST("map in a batch", GNTST_okay, mt_map[i].status);
			return false;
		}
		mt_handles[first + i] = mt_map[i].handle;
	}
	return !rc;
}

static bool mt_unmap_batch(unsigned int first, unsigned int n)
{
	long rc;

	for (unsigned int i = 0; i < n; i++)
		mt_unmap[i] = (struct gnttab_unmap_grant_ref){
			.dev_bus_addr = va_to_mfn(granted[(first + i) & 1]) << PAGE_SHIFT,
			.handle = mt_handles[first + i], .status = NO_STATUS,
		};
	rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, mt_unmap, n);
	CHECK_RC("unmap a batch", 0, rc);
	for (unsigned int i = 0; i < n; i++)
		if (mt_unmap[i].status != GNTST_okay) {
			CHECK_ST("unmap in a batch", GNTST_okay, mt_unmap[i].status);
			return false;
		}
	return !rc;
}

TEST(grant_map, maptrack_full)
{
	uint64_t t, empty = ~0UL, full = ~0UL;
	unsigned int mapped = 0;
	grant_handle_t h = 0;

	ONLY_ON("hv", "65536 handles is hv's maptrack size");
	NEED_TABLE();
	grant_page(REF_A, granted[0], SELF, GTF_permit_access);
	grant_page(REF_B, granted[1], SELF, GTF_permit_access);
	if (!mt_map_batch(0, MT_BATCH, NULL))
		goto out;
	mapped = MT_BATCH;
	for (unsigned int r = 0; r < 3; r++) {
		if (!mt_unmap_batch(0, MT_BATCH) || !mt_map_batch(0, MT_BATCH, &t))
			goto out;
		empty = MIN(empty, t);
	}
	for (; mapped < MAPTRACK_HANDLES; mapped += MT_BATCH)
		if (!mt_map_batch(mapped, MT_BATCH, NULL))
			goto out;
	CHECK_ST("map with every handle in use", GNTST_no_space,
		 map_one(REF_A, 0, GNTMAP_device_map | GNTMAP_readonly, SELF, NULL, NULL));
	for (unsigned int r = 0; r < 3; r++) {
		mapped -= MT_BATCH;
		if (!mt_unmap_batch(mapped, MT_BATCH) || !mt_map_batch(mapped, MT_BATCH, &t))
			goto out;
		mapped += MT_BATCH;
		full = MIN(full, t);
	}
	CHECK(full < 4 * empty, "256 maps took %lu cycles with the table full, %lu with it empty",
	      full, empty);
	/* The one handle unmapped is the one the next map gets. */
	h = mt_handles[12345];	/* odd: a mapping of REF_B */
	CHECK_ST("unmap one", GNTST_okay, unmap_one(0, va_to_mfn(granted[1]) << PAGE_SHIFT, h));
	CHECK_ST("map again", GNTST_okay,
		 map_one(REF_B, 0, GNTMAP_device_map | GNTMAP_readonly, SELF, &mt_handles[12345], NULL));
	CHECK_EQ("the handle given out again", h, mt_handles[12345]);
out:
	for (unsigned int first = 0; first < mapped; first += MT_BATCH)
		if (!mt_unmap_batch(first, MIN(MT_BATCH, mapped - first)))
			break;
	CHECK_EQ("entry A flags after", GTF_permit_access, gt[REF_A].flags);
	CHECK_EQ("entry B flags after", GTF_permit_access, gt[REF_B].flags);
	end_grants();
}

/* After all of the above: no grant of ours is in use or left open. */
TEST(grant_map, nothing_left_mapped)
{
	NEED_TABLE();
	for (unsigned int ref = GNTTAB_NR_RESERVED_ENTRIES; ref < 64; ref++)
		CHECK(!(gt[ref].flags & (GTF_reading | GTF_writing | GTF_type_mask)),
		      "entry %u has flags %#x", ref, gt[ref].flags);
	CHECK_EQ("host VA 0 maps its own frame", va_to_mfn(host[0]), pte_frame(host[0]));
	CHECK_EQ("host VA 1 maps its own frame", va_to_mfn(host[1]), pte_frame(host[1]));
}
