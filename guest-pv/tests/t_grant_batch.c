/*
 * grant_table_op (#20) batches longer than 4096 ops, as Linux's gntdev
 * may ask of a dom0 backend. Xen 4.17 takes any count (one it reads as
 * negative aside) and, when it has other work, continues the call with
 * the pointer moved past what was done and the count of what is left;
 * the guest sees one call that did every op. hv did refuse more than
 * 4096 with -EINVAL. An op the hypervisor cannot read part way through a
 * long batch ends the call with -EFAULT, the ops before it done.
 * dom0 only (its grants name itself by id 0). Group grant_batch.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/grant_table.h>
#include "frames.h"

#define SELF        0
#define NO_STATUS   0x7fff
#define LONG        5000
/*
 * The device mappings go to NREFS grants of one page in turn: Xen 4.17
 * lets a grant be pinned fewer than 128 times per kind.
 */
#define REF_BASE    400
#define NREFS       64
#define REF_SRC     (REF_BASE + NREFS)
#define REF_DST     (REF_BASE + NREFS + 1)

static uint8_t src[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t dst[PAGE_SIZE] __aligned(PAGE_SIZE);
static union {
	struct gnttab_copy copy[LONG];
	struct gnttab_map_grant_ref map[LONG];
} ops __aligned(PAGE_SIZE);
static struct gnttab_unmap_grant_ref unmaps[LONG] __aligned(PAGE_SIZE);
static struct gnttab_unmap_and_replace replaces[LONG] __aligned(PAGE_SIZE);

static struct grant_entry_v1 *gt;

#define NEED_TABLE() do {                                                       \
	if (!is_initial_domain())                                               \
		SKIP("grants to itself need the domain's own id: dom0 only");   \
	gt = grant_entries();                                                   \
	if (!gt)                                                                \
		SKIP("the grant table cannot be set up and mapped");            \
} while (0)

static void pattern(uint8_t *p, uint8_t seed)
{
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		p[i] = (uint8_t)(seed + i * 13);
}

/*
 * Op i copies 8 bytes at (i * 8) % PAGE_SIZE from src into the grant of
 * dst, the source named by turns as our frame and as the grant of src.
 */
static void fill_copies(unsigned int n)
{
	uint64_t s = va_to_mfn(src);

	for (unsigned int i = 0; i < n; i++) {
		struct gnttab_copy *c = &ops.copy[i];
		uint16_t off = (uint16_t)((i * 8) % PAGE_SIZE);

		memset(c, 0, sizeof(*c));
		if (i & 1) {
			c->source.u.ref = REF_SRC;
			c->source.domid = SELF;
			c->flags = GNTCOPY_source_gref;
		} else {
			c->source.u.gmfn = s;
			c->source.domid = DOMID_SELF;
		}
		c->source.offset = off;
		c->dest.u.ref = REF_DST;
		c->dest.domid = SELF;
		c->dest.offset = off;
		c->flags |= GNTCOPY_dest_gref;
		c->len = 8;
		c->status = NO_STATUS;
	}
}

static void grant_copy_pages(void)
{
	pattern(src, 29);
	memset(dst, 0, PAGE_SIZE);
	grant_page(REF_SRC, src, SELF, GTF_permit_access | GTF_readonly);
	grant_page(REF_DST, dst, SELF, GTF_permit_access);
}

static void end_copy_grants(void)
{
	CHECK_EQ("source flags after", GTF_permit_access | GTF_readonly, gt[REF_SRC].flags);
	CHECK_EQ("destination flags after", GTF_permit_access, gt[REF_DST].flags);
	gt[REF_SRC].flags = 0;
	gt[REF_DST].flags = 0;
}

/* How many of the first n ops have a status other than GNTST_okay. */
static unsigned int copies_not_okay(unsigned int n)
{
	unsigned int bad = 0;

	for (unsigned int i = 0; i < n; i++)
		bad += ops.copy[i].status != GNTST_okay;
	return bad;
}

TEST(grant_batch, copy_5000)
{
	NEED_TABLE();
	grant_copy_pages();
	fill_copies(LONG);
	CHECK_RC("copy 5000 at once", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, ops.copy, LONG));
	CHECK_EQ("copies not okay", 0, copies_not_okay(LONG));
	CHECK_ST("the last one", GNTST_okay, ops.copy[LONG - 1].status);
	CHECK(!memcmp(dst, src, PAGE_SIZE), "the page not copied");
	end_copy_grants();
}

/*
 * The page holding op 4500 unmapped: op 4403 is the first that runs into
 * it (ops are 40 bytes; it straddles the page boundary), so the call is
 * -EFAULT with ops 0..4402 done, the rest untouched and no grant left in
 * use.
 */
TEST(grant_batch, copy_unreadable_op_in_a_long_batch)
{
	uint8_t *hole = (uint8_t *)((uint64_t)&ops.copy[4500] & ~(uint64_t)(PAGE_SIZE - 1));
	unsigned int first_bad = (unsigned int)((hole - (uint8_t *)ops.copy) /
						sizeof(struct gnttab_copy));

	NEED_TABLE();
	grant_copy_pages();
	fill_copies(LONG);
	CHECK_EQ("the op that straddles the hole", 4403, first_bad);
	CHECK_RC("unmap a page of the ops", 0, map_va(hole, 0, 0));
	CHECK_RC("copy 5000 with a hole", -XEN_EFAULT,
		 HYPERVISOR_grant_table_op(GNTTABOP_copy, ops.copy, LONG));
	CHECK_RC("map the page back", 0, restore_va(hole));
	CHECK_EQ("copies before the hole not okay", 0, copies_not_okay(first_bad));
	CHECK_ST("the op into the hole", NO_STATUS, ops.copy[first_bad].status);
	CHECK_ST("the last op", NO_STATUS, ops.copy[LONG - 1].status);
	end_copy_grants();
}

/* n read-only device mappings of the NREFS grants in turn. */
static void fill_maps(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		ops.map[i] = (struct gnttab_map_grant_ref){
			.flags = GNTMAP_device_map | GNTMAP_readonly, .ref = REF_BASE + i % NREFS,
			.dom = SELF, .status = NO_STATUS, .handle = 0xdeadbeef,
		};
}

static void grant_map_pages(void)
{
	pattern(src, 37);
	for (unsigned int r = 0; r < NREFS; r++)
		grant_page(REF_BASE + r, src, SELF, GTF_permit_access | GTF_readonly);
}

/* Unmap the mappings ops 0..n-1 made (those whose status is okay). */
static unsigned int unmap_those_mapped(unsigned int n)
{
	unsigned int k = 0, bad = 0;
	long rc;

	for (unsigned int i = 0; i < n; i++)
		if (ops.map[i].status == GNTST_okay)
			unmaps[k++] = (struct gnttab_unmap_grant_ref){
				.dev_bus_addr = va_to_mfn(src) << PAGE_SHIFT,
				.handle = ops.map[i].handle, .status = NO_STATUS,
			};
	rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, unmaps, k);
	CHECK_RC("unmap them in one batch", 0, rc);
	for (unsigned int i = 0; i < k; i++)
		bad += unmaps[i].status != GNTST_okay;
	CHECK_EQ("unmaps not okay", 0, bad);
	return k;
}

static void end_map_grants(void)
{
	unsigned int busy = 0;

	for (unsigned int r = 0; r < NREFS; r++) {
		busy += gt[REF_BASE + r].flags != (GTF_permit_access | GTF_readonly);
		gt[REF_BASE + r].flags = 0;
	}
	CHECK_EQ("grants still in use", 0, busy);
}

/*
 * 5000 maps, then 5000 unmap_and_replace ops of them with host_addr 0
 * (nothing to replace: each is okay and the mapping stays), then 5000
 * unmaps.
 */
TEST(grant_batch, map_unmap_5000)
{
	unsigned int bad = 0;
	long rc;

	NEED_TABLE();
	grant_map_pages();
	fill_maps(LONG);
	rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, ops.map, LONG);
	CHECK_RC("map 5000 at once", 0, rc);
	for (unsigned int i = 0; i < LONG; i++)
		bad += ops.map[i].status != GNTST_okay;
	CHECK_EQ("maps not okay", 0, bad);
	CHECK_EQ("grant 0 in use", GTF_permit_access | GTF_readonly | GTF_reading, gt[REF_BASE].flags);
	for (unsigned int i = 0; i < LONG; i++)
		replaces[i] = (struct gnttab_unmap_and_replace){
			.handle = ops.map[i].handle, .status = NO_STATUS,
		};
	CHECK_RC("unmap_and_replace 5000 at once", 0,
		 HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, replaces, LONG));
	bad = 0;
	for (unsigned int i = 0; i < LONG; i++)
		bad += replaces[i].status != GNTST_okay;
	CHECK_EQ("unmap_and_replace ops not okay", 0, bad);
	CHECK_EQ("mapped still", LONG, unmap_those_mapped(LONG));
	end_map_grants();
}

/*
 * The page holding map op 4500 unmapped (map ops are 32 bytes, so op 4480
 * is the first on it): -EFAULT, ops 0..4479 mapped, the rest untouched.
 */
TEST(grant_batch, map_unreadable_op_in_a_long_batch)
{
	uint8_t *hole = (uint8_t *)((uint64_t)&ops.map[4500] & ~(uint64_t)(PAGE_SIZE - 1));
	unsigned int first_bad = (unsigned int)((hole - (uint8_t *)ops.map) /
						sizeof(struct gnttab_map_grant_ref));
	unsigned int bad = 0;

	NEED_TABLE();
	grant_map_pages();
	fill_maps(LONG);
	CHECK_EQ("the first op in the hole", 4480, first_bad);
	CHECK_RC("unmap a page of the ops", 0, map_va(hole, 0, 0));
	CHECK_RC("map 5000 with a hole", -XEN_EFAULT,
		 HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, ops.map, LONG));
	CHECK_RC("map the page back", 0, restore_va(hole));
	for (unsigned int i = 0; i < first_bad; i++)
		bad += ops.map[i].status != GNTST_okay;
	CHECK_EQ("maps before the hole not okay", 0, bad);
	CHECK_ST("the first op in the hole", NO_STATUS, ops.map[first_bad].status);
	CHECK_ST("the last op", NO_STATUS, ops.map[LONG - 1].status);
	CHECK_EQ("mapped before the hole", first_bad, unmap_those_mapped(LONG));
	end_map_grants();
}
