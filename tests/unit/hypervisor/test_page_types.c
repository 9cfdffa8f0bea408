/*
 * The PV MMU's reference and type bookkeeping (mm/page_types.c) on a
 * pretend machine: a frame table and page contents in plain arrays, two
 * domains owning frames, I/O frames above RAM. Each test states one rule
 * of the isolation invariant and tries to break it.
 */
#include <string.h>

#include "harness.h"

#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/page_types.h>
#include <asm/desc.h>

#define NR_FRAMES 64
#define IO_BASE 0x1000		/* MFNs from here are I/O memory */
#define P _PAGE_PRESENT
#define RW _PAGE_RW

static struct frame frames[NR_FRAMES];
static uint64_t mem[NR_FRAMES][512] __attribute__((aligned(4096)));
static struct domain d1, d2, dom_io_struct = { .id = DOMID_IO };
struct domain *const dom_io = &dom_io_struct;
static int released[NR_FRAMES];
static int stale_flushes, stale_notes;
static bool stale;

/* ---- what hv provides, for the test machine ---- */

struct frame *mfn_to_frame(mfn_t mfn)
{
	return mfn < NR_FRAMES ? &frames[mfn] : NULL;
}

mfn_t frame_to_mfn(const struct frame *f)
{
	return (mfn_t)(f - frames);
}

void *frame_contents(mfn_t mfn)
{
	return mem[mfn];
}

bool mfn_is_io(mfn_t mfn)
{
	return mfn >= IO_BASE;
}

bool io_frame_permitted(const struct domain *d, mfn_t mfn)
{
	return d->privileged && mfn != IO_BASE + 0xee;	/* one frame hv keeps */
}

void fill_hv_l4_slots(pte_t *l4, const struct domain *owner)
{
	(void)owner;
	for (unsigned int i = HV_SLOT_FIRST; i <= HV_SLOT_LAST; i++)
		l4[i] = 0xabc000 | P;
}

void frame_release(struct frame *f)
{
	released[f - frames]++;
	f->owner = NULL;
	f->flags = 0;
}

void tlb_note_stale(void)
{
	stale = true;
	stale_notes++;
}

void tlb_flush_if_stale(void)
{
	if (stale)
		stale_flushes++;
	stale = false;
}

/* ---- helpers ---- */

/* Frames 1-31 are d1's, 32-47 d2's, the rest free. */
static void setup(void)
{
	memset(frames, 0, sizeof(frames));
	memset(mem, 0, sizeof(mem));
	memset(released, 0, sizeof(released));
	memset(&d1, 0, sizeof(d1));
	memset(&d2, 0, sizeof(d2));
	d1.id = 1;
	d2.id = 2;
	stale = false;
	stale_flushes = stale_notes = 0;
	for (unsigned int i = 1; i < 48; i++) {
		frames[i].state = FRAME_ALLOCATED;
		frames[i].owner = i < 32 ? &d1 : &d2;
		frames[i].flags = FRAME_ASSIGNED;
		frames[i].refs = 1;
	}
}

static pte_t pte(mfn_t mfn, pte_t flags)
{
	return (mfn << PAGE_SHIFT) | flags;
}

/* The references a frame holds beyond its allocation's. */
static uint32_t extra_refs(mfn_t mfn)
{
	return frames[mfn].refs - 1;
}

/* ---- tests ---- */

START_TEST(test_l1_validation_takes_refs)
{
	setup();
	mem[2][0] = pte(3, P | RW);
	mem[2][1] = pte(4, P);
	mem[2][7] = pte(3, P | RW);
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), 0);
	ck_assert_uint_eq(frames[2].type, FT_L1);
	ck_assert(frames[2].flags & FRAME_VALIDATED);
	ck_assert(frames[2].flags & FRAME_PINNED);
	ck_assert_uint_eq(frames[3].type, FT_WRITABLE);
	ck_assert_uint_eq(frames[3].type_count, 2);
	ck_assert_uint_eq(extra_refs(3), 2);
	ck_assert_uint_eq(frames[4].type_count, 0);	/* read-only: no type ref */
	ck_assert_uint_eq(extra_refs(4), 1);
	/* hv forces U on, global off. */
	ck_assert(mem[2][0] & _PAGE_USER);
	ck_assert_int_eq(frame_unpin(2, &d1), 0);
	ck_assert_uint_eq(frames[3].type_count, 0);
	ck_assert_uint_eq(extra_refs(3), 0);
	ck_assert_uint_eq(extra_refs(4), 0);
	ck_assert(!(frames[2].flags & (FRAME_VALIDATED | FRAME_PINNED)));
}
END_TEST

START_TEST(test_l1_refuses_foreign_and_bad_entries)
{
	setup();
	mem[2][5] = pte(33, P);				/* d2's frame */
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), -EBUSY);
	ck_assert_uint_eq(frames[2].type_count, 0);
	mem[2][5] = pte(40, P | (1UL << 62));		/* hv's grant marker */
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), -EINVAL);
	mem[2][5] = pte(5, P | _PAGE_PCD);		/* cache bits: no I/O rights */
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), -EINVAL);
	mem[2][5] = pte(60, P);				/* a free frame */
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), -EBUSY);
	/* Failure undoes every reference taken before the bad entry. */
	mem[2][0] = pte(6, P | RW);
	mem[2][5] = pte(33, P);
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), -EBUSY);
	ck_assert_uint_eq(frames[6].type_count, 0);
	ck_assert_uint_eq(extra_refs(6), 0);
	ck_assert_uint_eq(extra_refs(2), 0);
}
END_TEST

START_TEST(test_table_never_writable)
{
	setup();
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), 0);
	/* An entry elsewhere mapping the pinned L1 writable: refused. */
	ck_assert_int_eq(frame_pin(3, &d1, FT_L1), 0);
	ck_assert_int_eq(pt_update_entry(3, 1, 0, pte(2, P | RW), &d1, &d1, false), -EBUSY);
	ck_assert_uint_eq(mem[3][0], 0);
	/* Read-only is fine. */
	ck_assert_int_eq(pt_update_entry(3, 1, 0, pte(2, P), &d1, &d1, false), 0);
	/* A table mapping itself writable cannot validate. */
	mem[4][9] = pte(4, P | RW);
	ck_assert_int_eq(frame_pin(4, &d1, FT_L1), -EBUSY);
	/* ... and a writably mapped frame cannot become a table. */
	mem[4][9] = 0;
	ck_assert_int_eq(pt_update_entry(3, 1, 1, pte(5, P | RW), &d1, &d1, false), 0);
	ck_assert_int_eq(frame_pin(5, &d1, FT_L1), -EINVAL);
	/* Once the writable mapping is gone, it can. */
	ck_assert_int_eq(pt_update_entry(3, 1, 1, 0, &d1, &d1, false), 0);
	ck_assert_int_eq(frame_pin(5, &d1, FT_L1), 0);
	ck_assert(stale_flushes > 0);		/* the old writable mapping was flushed first */
}
END_TEST

START_TEST(test_hierarchy_validates_and_releases)
{
	setup();
	/* L4 (10) -> L3 (11) -> L2 (12) -> L1 (13) -> data (14, writable) */
	mem[13][0] = pte(14, P | RW);
	mem[12][3] = pte(13, P | RW);
	mem[11][4] = pte(12, P | RW);
	mem[10][5] = pte(11, P | RW);
	mem[10][300] = pte(13, P);		/* the L1 again, now as an L3: a type clash */
	ck_assert_int_eq(frame_pin(10, &d1, FT_L4), -EINVAL);
	for (mfn_t m = 10; m <= 14; m++)			/* all undone */
		ck_assert_uint_eq(frames[m].type_count, 0);
	ck_assert_uint_eq(extra_refs(14), 0);
	mem[10][300] = 0;
	mem[10][260] = pte(20, P);		/* hv's slot: overwritten, never referenced */
	ck_assert_int_eq(frame_pin(10, &d1, FT_L4), 0);
	ck_assert_uint_eq(mem[10][260], 0xabc000 | P);
	ck_assert_uint_eq(extra_refs(20), 0);
	ck_assert_uint_eq(frames[11].type, FT_L3);
	ck_assert_uint_eq(frames[12].type, FT_L2);
	ck_assert_uint_eq(frames[13].type, FT_L1);
	ck_assert_uint_eq(frames[14].type, FT_WRITABLE);
	ck_assert_uint_eq(frames[14].type_count, 1);
	/* Nothing in the tree may be mapped writable or change type now. */
	ck_assert_int_eq(frame_get_type(&frames[13], FT_WRITABLE), -EINVAL);
	ck_assert_int_eq(frame_pin(12, &d1, FT_L1), -EINVAL);
	/* Unpinning the root releases the whole tree. */
	ck_assert_int_eq(frame_unpin(10, &d1), 0);
	for (mfn_t m = 10; m <= 14; m++) {
		ck_assert_uint_eq(frames[m].type_count, 0);
		ck_assert_uint_eq(extra_refs(m), 0);
	}
	ck_assert_int_eq(frame_get_type(&frames[13], FT_WRITABLE), 0);
	frame_put_type(&frames[13]);
}
END_TEST

START_TEST(test_entry_rules_above_l1)
{
	setup();
	/* The same rules hold when a whole table is validated. */
	mem[12][7] = pte(13, P | _PAGE_PSE);
	ck_assert_int_eq(frame_pin(12, &d1, FT_L2), -EINVAL);
	mem[12][7] = pte(13, P | _PAGE_GLOBAL);
	ck_assert_int_eq(frame_pin(12, &d1, FT_L2), -EINVAL);
	mem[12][7] = 0;
	ck_assert_int_eq(frame_pin(12, &d1, FT_L2), 0);
	/* Superpages are not for PV guests. */
	ck_assert_int_eq(pt_update_entry(12, 2, 0, pte(13, P | _PAGE_PSE), &d1, &d1, false), -EINVAL);
	/* A table naming itself (linear page table): refused. */
	ck_assert_int_eq(pt_update_entry(12, 2, 0, pte(12, P), &d1, &d1, false), -EINVAL);
	/* Another domain's frame: refused. */
	ck_assert_int_eq(pt_update_entry(12, 2, 0, pte(33, P), &d1, &d1, false), -EINVAL);
	/* hv's L4 slots are hv's. */
	ck_assert_int_eq(frame_pin(10, &d1, FT_L4), 0);
	ck_assert_int_eq(pt_update_entry(10, 4, 256, 0, &d1, &d1, false), -EINVAL);
	ck_assert_int_eq(pt_update_entry(10, 4, 271, pte(11, P), &d1, &d1, false), -EINVAL);
	ck_assert_int_eq(pt_update_entry(10, 4, 272, pte(11, P), &d1, &d1, false), 0);
	ck_assert_uint_eq(frames[11].type, FT_L3);
	/* Replacing the entry moves the references. */
	ck_assert_int_eq(pt_update_entry(10, 4, 272, 0, &d1, &d1, false), 0);
	ck_assert_uint_eq(frames[11].type_count, 0);
}
END_TEST

START_TEST(test_update_moves_refs_and_preserves_ad)
{
	setup();
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), 0);
	ck_assert_int_eq(pt_update_entry(2, 1, 9, pte(3, P | RW), &d1, &d1, false), 0);
	ck_assert_uint_eq(frames[3].type_count, 1);
	/* Hardware set A and D meanwhile; a PRESERVE_AD update keeps them. */
	mem[2][9] |= _PAGE_ACCESSED | _PAGE_DIRTY;
	ck_assert_int_eq(pt_update_entry(2, 1, 9, pte(3, P | RW | _PAGE_NX), &d1, &d1, true), 0);
	ck_assert(mem[2][9] & _PAGE_DIRTY);
	ck_assert(mem[2][9] & _PAGE_NX);
	ck_assert_uint_eq(frames[3].type_count, 1);	/* same frame: no new refs */
	/* Dropping RW gives back the writable type. */
	ck_assert_int_eq(pt_update_entry(2, 1, 9, pte(3, P), &d1, &d1, false), 0);
	ck_assert_uint_eq(frames[3].type_count, 0);
	ck_assert_uint_eq(extra_refs(3), 1);
	/* A refused update leaves the entry as it was. */
	ck_assert_int_eq(pt_update_entry(2, 1, 9, pte(2, P | RW), &d1, &d1, false), -EBUSY);
	ck_assert_uint_eq(mem[2][9] & PTE_ADDR_MASK, 3UL << 12);
	ck_assert_int_eq(pt_update_entry(2, 1, 9, 0, &d1, &d1, false), 0);
	ck_assert_uint_eq(extra_refs(3), 0);
	ck_assert(stale_notes > 0);
}
END_TEST

START_TEST(test_foreign_mapping_needs_pg_owner)
{
	setup();
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), 0);
	/* d1 may map d2's frame only when the caller named d2 as the owner. */
	ck_assert_int_eq(pt_update_entry(2, 1, 0, pte(33, P | RW), &d1, &d1, false), -EBUSY);
	ck_assert_int_eq(pt_update_entry(2, 1, 0, pte(33, P | RW), &d1, &d2, false), 0);
	ck_assert_uint_eq(frames[33].type, FT_WRITABLE);
	ck_assert_uint_eq(extra_refs(33), 1);
	/* With pg_owner d2, d1's own frames are not mappable. */
	ck_assert_int_eq(pt_update_entry(2, 1, 1, pte(3, P), &d1, &d2, false), -EBUSY);
	ck_assert_int_eq(pt_update_entry(2, 1, 0, 0, &d1, &d1, false), 0);
	ck_assert_uint_eq(extra_refs(33), 0);
}
END_TEST

START_TEST(test_io_frames)
{
	setup();
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), 0);
	ck_assert_int_eq(pt_update_entry(2, 1, 0, pte(IO_BASE + 1, P), &d1, &d1, false), -EPERM);
	d1.privileged = true;
	/* WB is made UC (PCD|PWT); WC (PAT index 4) stays. */
	ck_assert_int_eq(pt_update_entry(2, 1, 0, pte(IO_BASE + 1, P | RW), &d1, &d1, false), 0);
	ck_assert_uint_eq(mem[2][0] & _PAGE_CACHE_L1, _PAGE_PCD | _PAGE_PWT);
	ck_assert_int_eq(pt_update_entry(2, 1, 1, pte(IO_BASE + 2, P | _PAGE_PAT), &d1, &d1, false), 0);
	ck_assert_uint_eq(mem[2][1] & _PAGE_CACHE_L1, _PAGE_PAT);
	/* hv's own device frame stays hv's, even for dom0. */
	ck_assert_int_eq(pt_update_entry(2, 1, 2, pte(IO_BASE + 0xee, P), &d1, &d1, false), -EPERM);
	/* DOMID_IO maps I/O memory with the caller's rights, never RAM. */
	ck_assert_int_eq(pt_update_entry(2, 1, 3, pte(3, P), &d1, dom_io, false), -EBUSY);
}
END_TEST

START_TEST(test_hv_pages_stay_data)
{
	setup();
	frames[7].flags |= FRAME_HV_PAGE;
	ck_assert_int_eq(frame_pin(7, &d1, FT_L1), -EINVAL);
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), 0);
	d1.privileged = true;
	ck_assert_int_eq(pt_update_entry(2, 1, 0, pte(7, P | RW | _PAGE_PCD), &d1, &d1, false), -EACCES);
	ck_assert_int_eq(pt_update_entry(2, 1, 0, pte(7, P | RW), &d1, &d1, false), 0);
}
END_TEST

START_TEST(test_release_only_at_last_ref)
{
	setup();
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), 0);
	ck_assert_int_eq(pt_update_entry(2, 1, 0, pte(3, P), &d1, &d1, false), 0);
	/* The owner lets go, but a mapping still holds the frame. */
	frames[3].flags &= ~FRAME_ASSIGNED;
	frame_put(&frames[3]);
	ck_assert_int_eq(released[3], 0);
	/* A released frame takes no new references... */
	ck_assert_int_eq(pt_update_entry(2, 1, 1, pte(3, P), &d1, &d1, false), 0);
	ck_assert_int_eq(pt_update_entry(2, 1, 1, 0, &d1, &d1, false), 0);
	ck_assert_int_eq(pt_update_entry(2, 1, 0, 0, &d1, &d1, false), 0);
	ck_assert_int_eq(released[3], 1);
	ck_assert_int_eq(frame_get(&frames[3], &d1), -EINVAL);
}
END_TEST

START_TEST(test_pin_rules)
{
	setup();
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), 0);
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), -EINVAL);	/* already pinned */
	ck_assert_int_eq(frame_pin(2, &d1, FT_L2), -EINVAL);	/* other type in use */
	ck_assert_int_eq(frame_unpin(3, &d1), -EINVAL);		/* never pinned */
	ck_assert_int_eq(frame_pin(33, &d1, FT_L1), -EINVAL);	/* not d1's */
	ck_assert_int_eq(frame_unpin(2, &d2), -EINVAL);
	ck_assert_int_eq(frame_unpin(2, &d1), 0);
	ck_assert_int_eq(frame_unpin(2, &d1), -EINVAL);
	ck_assert_uint_eq(extra_refs(2), 0);
}
END_TEST

/*
 * Grant PTEs (the references are the grant's: grant_map.c takes them).
 * unmap_and_replace moves an ordinary entry into a grant PTE's place with
 * its references; a refusal changes neither slot.
 */
START_TEST(test_grant_replace_moves_entry)
{
	pte_t moved;

	setup();
	ck_assert_int_eq(frame_pin(2, &d1, FT_L1), 0);
	ck_assert_int_eq(frame_pin(6, &d1, FT_L1), 0);
	ck_assert_int_eq(pt_update_entry(6, 1, 5, pte(3, P | RW), &d1, &d1, false), 0);
	moved = mem[6][5];
	ck_assert_int_eq(pt_install_grant(2, 0, pte(4, P | RW)), 0);
	ck_assert_int_eq(pt_install_grant(2, 1, pte(4, P)), 0);
	ck_assert_int_eq(pt_install_grant(2, 1, pte(4, P)), -EBUSY);

	/* Refused: wrong frame, wrong access, no grant there, a grant to move, not an L1. */
	ck_assert_int_eq(pt_replace_grant(2, 0, 5, true, 6, 5), -EINVAL);
	ck_assert_int_eq(pt_replace_grant(2, 0, 4, false, 6, 5), -EINVAL);
	ck_assert_int_eq(pt_replace_grant(2, 2, 4, true, 6, 5), -EINVAL);
	ck_assert_int_eq(pt_replace_grant(2, 0, 4, true, 2, 1), -EINVAL);
	ck_assert_int_eq(pt_replace_grant(2, 0, 4, true, 2, 0), -EINVAL);
	ck_assert_int_eq(pt_replace_grant(2, 0, 4, true, 7, 5), -EINVAL);
	ck_assert_uint_eq(mem[6][5], moved);
	ck_assert(mem[2][0] & _PAGE_GNTTAB);
	ck_assert(mem[2][1] & _PAGE_GNTTAB);

	/* The entry moves, its references with it. */
	stale_notes = 0;
	ck_assert_int_eq(pt_replace_grant(2, 0, 4, true, 6, 5), 0);
	ck_assert_uint_eq(mem[2][0], moved);
	ck_assert_uint_eq(mem[6][5], 0);
	ck_assert_int_eq(stale_notes, 1);
	ck_assert_uint_eq(extra_refs(3), 1);
	ck_assert_uint_eq(frames[3].type_count, 1);
	/* An empty entry may replace one too. */
	ck_assert_int_eq(pt_replace_grant(2, 1, 4, false, 6, 5), 0);
	ck_assert_uint_eq(mem[2][1], 0);
	ck_assert_int_eq(pt_remove_grant(2, 1, 4, false), -EINVAL);
	/* The moved entry is an ordinary one: the table lets it go. */
	ck_assert_int_eq(frame_unpin(2, &d1), 0);
	ck_assert_uint_eq(extra_refs(3), 0);
	ck_assert_uint_eq(frames[3].type_count, 0);
	ck_assert_uint_eq(extra_refs(4), 0);
}
END_TEST

START_TEST(test_descriptors)
{
	uint64_t code_dpl0 = 0x00af9a000000ffffUL, tss = 0x0000890000000067UL;
	uint64_t d;

	d = code_dpl0;
	ck_assert(check_descriptor(&d));
	ck_assert_uint_eq((d >> 45) & 3, 3);			/* DPL forced to 3 */
	d = tss;
	ck_assert(!check_descriptor(&d));
	d = 0x0000820000000000UL;				/* LDT descriptor */
	ck_assert(!check_descriptor(&d));
	d = 0x00008e0000100000UL;				/* interrupt gate */
	ck_assert(!check_descriptor(&d));
	d = tss & ~(1UL << 47);					/* not present: harmless */
	ck_assert(check_descriptor(&d));
	/* A call gate to the flat kernel CS keeps DPL 0; one into hv's selectors is refused. */
	d = 0x0000ec0000000000UL | ((uint64_t)FLAT_KERNEL_CS << 16);
	ck_assert(check_descriptor(&d));
	ck_assert_uint_eq((d >> 45) & 3, 0);
	ck_assert_uint_eq((d >> 16) & 3, 3);			/* DPL 3 kept in the RPL */
	/* Checked again (a descriptor page revalidated): nothing changes. */
	{
		uint64_t once = d;

		ck_assert(check_descriptor(&d));
		ck_assert_uint_eq(d, once);
	}
	/* A gate asked for with DPL 0 means the guest kernel's ring: RPL 3 too. */
	d = 0x00008c0000000000UL | ((uint64_t)FLAT_KERNEL_CS << 16);
	ck_assert(check_descriptor(&d));
	ck_assert_uint_eq((d >> 16) & 3, 3);
	d = 0x0000ec0000000000UL | (0xe008UL << 16);
	ck_assert(!check_descriptor(&d));

	/* A page with a TSS descriptor cannot become a descriptor page. */
	setup();
	mem[5][3] = tss;
	ck_assert_int_eq(frame_get_type(&frames[5], FT_SEG_DESC), -EINVAL);
	mem[5][3] = code_dpl0;
	ck_assert_int_eq(frame_get_type(&frames[5], FT_SEG_DESC), 0);
	ck_assert_uint_eq((mem[5][3] >> 45) & 3, 3);
	ck_assert_int_eq(frame_get_type(&frames[5], FT_WRITABLE), -EINVAL);
	frame_put_type(&frames[5]);
}
END_TEST

Suite *page_types_suite(void)
{
	Suite *s = suite_create("page_types");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_l1_validation_takes_refs);
	tcase_add_test(tc, test_l1_refuses_foreign_and_bad_entries);
	tcase_add_test(tc, test_table_never_writable);
	tcase_add_test(tc, test_hierarchy_validates_and_releases);
	tcase_add_test(tc, test_entry_rules_above_l1);
	tcase_add_test(tc, test_update_moves_refs_and_preserves_ad);
	tcase_add_test(tc, test_foreign_mapping_needs_pg_owner);
	tcase_add_test(tc, test_io_frames);
	tcase_add_test(tc, test_hv_pages_stay_data);
	tcase_add_test(tc, test_release_only_at_last_ref);
	tcase_add_test(tc, test_pin_rules);
	tcase_add_test(tc, test_grant_replace_moves_entry);
	tcase_add_test(tc, test_descriptors);
	suite_add_tcase(s, tc);
	return s;
}
