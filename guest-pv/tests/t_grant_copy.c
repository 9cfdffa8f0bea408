/*
 * grant_table_op (#20) GNTTABOP_copy beyond grant_table.copy_from_own_grant:
 * batches, each side a grant or a frame of the caller's, and the rules
 * (xen/common/grant_table.c, gnttab_copy_*):
 *  - a side given as a frame must say DOMID_SELF (even our own id is
 *    GNTST_permission_denied), and be our frame (else GNTST_bad_page);
 *  - a destination that cannot be writable (a page table, a read-only
 *    grant) is GNTST_general_error, as is a grant not to us or unused;
 *  - offset + len past the page on either side is GNTST_bad_copy_arg
 *    (and on hv, not on Xen, a flag bit beyond source_gref and dest_gref);
 *  - a grant of a frame the granter does not own is GNTST_bad_page, and
 *    the entry's flags are as before;
 *  - each element has its own status, a bad one does not stop the batch;
 *  - a copy holds the grant only while it copies (reading/writing come
 *    and go: reading for any use, writing too into it), but does not
 *    disturb a mapping of the same grant, and reads the frame the
 *    mapping pinned even if the granter changed the entry meanwhile.
 * dom0 only (its grants name itself by id 0). Group grant_copy.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/grant_table.h>
#include "frames.h"

#define SELF        0
#define REF_SRC     24
#define REF_DST     25
#define NO_STATUS   0x7fff

static uint8_t src[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t dst[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t ptpage[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t host[PAGE_SIZE] __aligned(PAGE_SIZE);

static struct grant_entry_v1 *gt;

#define NEED_TABLE() do {                                                       \
	if (!is_initial_domain())                                               \
		SKIP("grants to itself need the domain's own id: dom0 only");   \
	gt = grant_entries();                                                   \
	if (!gt)                                                                \
		SKIP("the grant table cannot be set up and mapped");            \
} while (0)

/* A copy of len bytes: from grant ref or frame `s` to grant ref or frame `d`. */
static struct gnttab_copy copy_op(uint64_t s, domid_t sdom, uint16_t soff, uint64_t d, domid_t ddom,
				  uint16_t doff, uint16_t len, uint16_t flags)
{
	struct gnttab_copy c;

	memset(&c, 0, sizeof(c));
	if (flags & GNTCOPY_source_gref)
		c.source.u.ref = (grant_ref_t)s;
	else
		c.source.u.gmfn = s;
	c.source.domid = sdom;
	c.source.offset = soff;
	if (flags & GNTCOPY_dest_gref)
		c.dest.u.ref = (grant_ref_t)d;
	else
		c.dest.u.gmfn = d;
	c.dest.domid = ddom;
	c.dest.offset = doff;
	c.len = len;
	c.flags = flags;
	c.status = NO_STATUS;
	return c;
}

/* One copy; its status (NO_STATUS if the hypercall itself failed). */
static int16_t copy_one(struct gnttab_copy c)
{
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1);

	CHECK_RC("copy's result", 0, rc);
	return rc ? NO_STATUS : c.status;
}

static void pattern(uint8_t *p, uint8_t seed)
{
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

TEST(grant_copy, batch_with_a_bad_element)
{
	uint64_t s = va_to_mfn(src), d = va_to_mfn(dst);
	struct gnttab_copy c[3];

	NEED_TABLE();
	pattern(src, 3);
	memset(dst, 0, PAGE_SIZE);
	grant_page(REF_SRC, src, SELF, GTF_permit_access | GTF_readonly);
	c[0] = copy_op(REF_SRC, DOMID_SELF, 0, d, DOMID_SELF, 0, 100, GNTCOPY_source_gref);
	c[1] = copy_op(0x7fffffff, DOMID_SELF, 0, d, DOMID_SELF, 200, 100, GNTCOPY_source_gref);
	c[2] = copy_op(s, DOMID_SELF, 1000, d, DOMID_SELF, 3000, 1096, 0);
	CHECK_RC("copy 3 at once", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, c, 3));
	CHECK_ST("status 0 (grant to frame)", GNTST_okay, c[0].status);
	CHECK_ST("status 1 (bad ref)", GNTST_bad_gntref, c[1].status);
	CHECK_ST("status 2 (frame to frame, to the page's end)", GNTST_okay, c[2].status);
	CHECK(!memcmp(dst, src, 100), "element 0 not copied");
	CHECK_EQ("element 1 copied nothing", 0, dst[250]);
	CHECK(!memcmp(dst + 3000, src + 1000, 1096), "element 2 not copied");
	CHECK_EQ("entry flags after", GTF_permit_access | GTF_readonly, gt[REF_SRC].flags);
	CHECK_RC("copy ops at an unmapped address", -XEN_EFAULT,
		 HYPERVISOR_grant_table_op(GNTTABOP_copy, BAD_PTR_UNMAPPED, 1));
	CHECK_RC("copy ops in the hypervisor", -XEN_EFAULT,
		 HYPERVISOR_grant_table_op(GNTTABOP_copy, BAD_PTR_HV, 1));
	gt[REF_SRC].flags = 0;
}

TEST(grant_copy, frame_rules)
{
	uint64_t s = va_to_mfn(src), d = va_to_mfn(dst), pt = va_to_mfn(ptpage);

	NEED_TABLE();
	pattern(src, 9);
	memset(dst, 0, PAGE_SIZE);
	/* A frame is named under DOMID_SELF only, even by its owner's own id. */
	CHECK_ST("source frame under domid 0", GNTST_permission_denied,
		 copy_one(copy_op(s, SELF, 0, d, DOMID_SELF, 0, 8, 0)));
	CHECK_ST("dest frame under domid 0", GNTST_permission_denied,
		 copy_one(copy_op(s, DOMID_SELF, 0, d, SELF, 0, 8, 0)));
	CHECK_ST("source: the hypervisor's frame", GNTST_bad_page,
		 copy_one(copy_op(hypervisor_frame(), DOMID_SELF, 0, d, DOMID_SELF, 0, 8, 0)));
	CHECK_ST("dest: the hypervisor's frame", GNTST_bad_page,
		 copy_one(copy_op(s, DOMID_SELF, 0, hypervisor_frame(), DOMID_SELF, 0, 8, 0)));
	CHECK_EQ("nothing copied", 0, dst[0]);

	/* A page table can be read from but not written to. */
	memset(ptpage, 0, PAGE_SIZE);
	CHECK_RC("unmap the page", 0, map_va(ptpage, 0, 0));
	CHECK_RC("pin it as an L1", 0, mmuext_on(MMUEXT_PIN_L1_TABLE, pt));
	CHECK_ST("copy into a page table", GNTST_general_error,
		 copy_one(copy_op(s, DOMID_SELF, 0, pt, DOMID_SELF, 0, 8, 0)));
	dst[0] = 0xff;
	CHECK_ST("copy out of a page table", GNTST_okay,
		 copy_one(copy_op(pt, DOMID_SELF, 0, d, DOMID_SELF, 0, 8, 0)));
	CHECK_EQ("read its (empty) entry", 0, dst[0]);
	CHECK_RC("unpin", 0, mmuext_on(MMUEXT_UNPIN_TABLE, pt));
	CHECK_RC("restore the page", 0, restore_va(ptpage));
	CHECK_EQ("the page table stayed empty", 0, *(volatile uint64_t *)ptpage);
}

TEST(grant_copy, bounds)
{
	uint64_t s = va_to_mfn(src), d = va_to_mfn(dst);

	NEED_TABLE();
	pattern(src, 1);
	memset(dst, 0, PAGE_SIZE);
	CHECK_ST("source offset + len past the page", GNTST_bad_copy_arg,
		 copy_one(copy_op(s, DOMID_SELF, 4000, d, DOMID_SELF, 0, 200, 0)));
	CHECK_ST("a whole page plus one", GNTST_bad_copy_arg,
		 copy_one(copy_op(s, DOMID_SELF, 0, d, DOMID_SELF, 0, PAGE_SIZE + 1, 0)));
	CHECK_ST("offset past the page", GNTST_bad_copy_arg,
		 copy_one(copy_op(s, DOMID_SELF, PAGE_SIZE, d, DOMID_SELF, 0, 1, 0)));
	CHECK_EQ("nothing copied", 0, dst[0]);
	CHECK_ST("a whole page", GNTST_okay, copy_one(copy_op(s, DOMID_SELF, 0, d, DOMID_SELF, 0, PAGE_SIZE, 0)));
	CHECK(!memcmp(src, dst, PAGE_SIZE), "the page not copied");
	dst[5] = 0;
	CHECK_ST("zero bytes", GNTST_okay, copy_one(copy_op(s, DOMID_SELF, 5, d, DOMID_SELF, 5, 0, 0)));
	CHECK_EQ("zero bytes copied", 0, dst[5]);
}

/*
 * hv refuses flag bits it does not know. Xen 4.17 ignores them and copies,
 * so this is hv's rule alone (a difference from the oracle, kept for now).
 */
TEST(grant_copy, unknown_flags)
{
	uint64_t s = va_to_mfn(src), d = va_to_mfn(dst);

	ONLY_ON("hv", "Xen 4.17 ignores flag bits beyond source_gref and dest_gref");
	NEED_TABLE();
	pattern(src, 13);
	memset(dst, 0, PAGE_SIZE);
	CHECK_ST("flags bit 2", GNTST_bad_copy_arg,
		 copy_one(copy_op(s, DOMID_SELF, 0, d, DOMID_SELF, 0, 8, 1U << 2)));
	CHECK_ST("flags bit 15", GNTST_bad_copy_arg,
		 copy_one(copy_op(s, DOMID_SELF, 0, d, DOMID_SELF, 0, 8, 0x8000)));
	grant_page(REF_SRC, src, SELF, GTF_permit_access | GTF_readonly);
	CHECK_ST("source_gref and bit 3", GNTST_bad_copy_arg,
		 copy_one(copy_op(REF_SRC, DOMID_SELF, 0, d, DOMID_SELF, 0, 8,
				  GNTCOPY_source_gref | (1U << 3))));
	CHECK_EQ("entry flags untouched", GTF_permit_access | GTF_readonly, gt[REF_SRC].flags);
	CHECK_EQ("nothing copied", 0, dst[0] | dst[7]);
	gt[REF_SRC].flags = 0;
}

TEST(grant_copy, frame_not_the_granters)
{
	uint64_t s = va_to_mfn(src), d = va_to_mfn(dst);

	NEED_TABLE();
	memset(dst, 0, PAGE_SIZE);
	gt[REF_SRC].domid = SELF;
	gt[REF_SRC].frame = (uint32_t)hypervisor_frame();
	gt[REF_SRC].flags = GTF_permit_access | GTF_readonly;
	CHECK_ST("copy from a grant of the hypervisor's frame", GNTST_bad_page,
		 copy_one(copy_op(REF_SRC, DOMID_SELF, 0, d, DOMID_SELF, 0, 8, GNTCOPY_source_gref)));
	CHECK_EQ("entry flags back", GTF_permit_access | GTF_readonly, gt[REF_SRC].flags);
	gt[REF_SRC].frame = 0xffffff00;
	CHECK_ST("copy from a grant of a frame beyond RAM", GNTST_bad_page,
		 copy_one(copy_op(REF_SRC, DOMID_SELF, 0, d, DOMID_SELF, 0, 8, GNTCOPY_source_gref)));
	CHECK_EQ("entry flags back", GTF_permit_access | GTF_readonly, gt[REF_SRC].flags);
	CHECK_EQ("nothing copied", 0, dst[0] | dst[7]);
	gt[REF_DST].domid = SELF;
	gt[REF_DST].frame = (uint32_t)hypervisor_frame();
	gt[REF_DST].flags = GTF_permit_access;
	CHECK_ST("copy into a grant of the hypervisor's frame", GNTST_bad_page,
		 copy_one(copy_op(s, DOMID_SELF, 0, REF_DST, DOMID_SELF, 0, 8, GNTCOPY_dest_gref)));
	CHECK_EQ("entry flags back", GTF_permit_access, gt[REF_DST].flags);
	gt[REF_SRC].flags = 0;
	gt[REF_DST].flags = 0;
}

TEST(grant_copy, grant_rules)
{
	uint64_t s = va_to_mfn(src);

	NEED_TABLE();
	pattern(src, 5);
	memset(dst, 0, PAGE_SIZE);
	/* Into a read-write grant: writing while it copies, nothing after. */
	grant_page(REF_DST, dst, SELF, GTF_permit_access);
	CHECK_ST("copy into a read-write grant", GNTST_okay,
		 copy_one(copy_op(s, DOMID_SELF, 10, REF_DST, DOMID_SELF, 20, 30, GNTCOPY_dest_gref)));
	CHECK(!memcmp(dst + 20, src + 10, 30), "bytes not copied into the grant");
	CHECK_EQ("entry flags after", GTF_permit_access, gt[REF_DST].flags);
	CHECK_ST("grant to grant", GNTST_okay,
		 copy_one(copy_op(REF_DST, DOMID_SELF, 20, REF_DST, DOMID_SELF, 100, 30,
				  GNTCOPY_source_gref | GNTCOPY_dest_gref)));
	CHECK(!memcmp(dst + 100, src + 10, 30), "bytes not copied within the grant");

	/* Grants that give us nothing. */
	grant_page(REF_SRC, src, 0x1234, GTF_permit_access);
	CHECK_ST("from a grant to another domain", GNTST_general_error,
		 copy_one(copy_op(REF_SRC, DOMID_SELF, 0, REF_DST, DOMID_SELF, 0, 8,
				  GNTCOPY_source_gref | GNTCOPY_dest_gref)));
	CHECK_EQ("its flags untouched", GTF_permit_access, gt[REF_SRC].flags);
	gt[REF_SRC].flags = 0;
	CHECK_ST("from an unused entry", GNTST_general_error,
		 copy_one(copy_op(REF_SRC, DOMID_SELF, 0, REF_DST, DOMID_SELF, 0, 8,
				  GNTCOPY_source_gref | GNTCOPY_dest_gref)));
	CHECK_ST("from a grant of DOMID_INVALID", GNTST_bad_domain,
		 copy_one(copy_op(REF_DST, DOMID_INVALID, 0, s, DOMID_SELF, 0, 8, GNTCOPY_source_gref)));
	CHECK_ST("from a grant of domain 0x1234", GNTST_bad_domain,
		 copy_one(copy_op(REF_DST, 0x1234, 0, s, DOMID_SELF, 0, 8, GNTCOPY_source_gref)));
	/* A grant side may name the granter by id: domid 0 is fine there. */
	CHECK_ST("from our grant under domid 0", GNTST_okay,
		 copy_one(copy_op(REF_DST, SELF, 20, s, DOMID_SELF, 2000, 8, GNTCOPY_source_gref)));
	CHECK_EQ("entry flags after", GTF_permit_access, gt[REF_DST].flags);
	gt[REF_DST].flags = 0;
}

TEST(grant_copy, while_mapped)
{
	uint64_t d = va_to_mfn(dst);
	struct gnttab_map_grant_ref m = {
		.host_addr = (uint64_t)host, .flags = GNTMAP_host_map, .ref = REF_SRC, .dom = SELF,
		.status = NO_STATUS,
	};
	struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)host, .status = NO_STATUS };

	NEED_TABLE();
	pattern(src, 11);
	memset(dst, 0, PAGE_SIZE);
	grant_page(REF_SRC, src, SELF, GTF_permit_access);
	CHECK_RC("empty the host VA", 0, map_va(host, 0, 0));
	CHECK_RC("map the grant", 0, HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1));
	CHECK_ST("map status", GNTST_okay, m.status);
	CHECK_ST("copy from the mapped grant", GNTST_okay,
		 copy_one(copy_op(REF_SRC, DOMID_SELF, 0, d, DOMID_SELF, 0, 64, GNTCOPY_source_gref)));
	CHECK(!memcmp(dst, src, 64), "bytes not copied");
	CHECK_EQ("the mapping's flags survive the copy", GTF_permit_access | GTF_reading | GTF_writing,
		 gt[REF_SRC].flags);
	if (m.status == GNTST_okay) {
		u.handle = m.handle;
		CHECK_RC("unmap", 0, HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1));
		CHECK_ST("unmap status", GNTST_okay, u.status);
	}
	CHECK_EQ("entry flags after", GTF_permit_access, gt[REF_SRC].flags);
	CHECK_RC("restore the host VA", 0, restore_va(host));
	gt[REF_SRC].flags = 0;
}

/*
 * A batch that names the same grants op after op (as netback does): hv and
 * Xen keep a side acquired between such ops; each op still gets its own
 * status, a bad op in between changes nothing for the others, and no
 * reading/writing flag outlives the batch.
 */
TEST(grant_copy, batch_on_the_same_grants)
{
	struct gnttab_copy c[6];
	const uint16_t both = GNTCOPY_source_gref | GNTCOPY_dest_gref;

	NEED_TABLE();
	pattern(src, 21);
	memset(dst, 0, PAGE_SIZE);
	grant_page(REF_SRC, src, SELF, GTF_permit_access | GTF_readonly);
	grant_page(REF_DST, dst, SELF, GTF_permit_access);
	c[0] = copy_op(REF_SRC, DOMID_SELF, 0, REF_DST, DOMID_SELF, 0, 16, both);
	c[1] = copy_op(REF_SRC, DOMID_SELF, 16, REF_DST, DOMID_SELF, 16, 16, both);
	c[2] = copy_op(0x7fffffff, DOMID_SELF, 0, REF_DST, DOMID_SELF, 4060, 16, both);
	c[3] = copy_op(REF_SRC, DOMID_SELF, 32, REF_DST, DOMID_SELF, 32, 16, both);
	/* The read-only grant as a destination: refused, the others go on. */
	c[4] = copy_op(REF_DST, DOMID_SELF, 0, REF_SRC, DOMID_SELF, 0, 16, both);
	/* The same grants named by the granter's id rather than DOMID_SELF. */
	c[5] = copy_op(REF_SRC, SELF, 48, REF_DST, SELF, 48, 4000, both);
	CHECK_RC("copy 6 at once", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, c, 6));
	CHECK_ST("status 0", GNTST_okay, c[0].status);
	CHECK_ST("status 1 (same sides again)", GNTST_okay, c[1].status);
	CHECK_ST("status 2 (bad source ref)", GNTST_bad_gntref, c[2].status);
	CHECK_ST("status 3 (same sides after a bad op)", GNTST_okay, c[3].status);
	CHECK_ST("status 4 (into the read-only grant)", GNTST_general_error, c[4].status);
	CHECK_ST("status 5 (by id)", GNTST_okay, c[5].status);
	CHECK(!memcmp(dst, src, 4048), "bytes 0..4047 not copied");
	CHECK_EQ("the bad op copied nothing", 0, dst[4060] | dst[4075]);
	CHECK_EQ("source flags after", GTF_permit_access | GTF_readonly, gt[REF_SRC].flags);
	CHECK_EQ("destination flags after", GTF_permit_access, gt[REF_DST].flags);
	CHECK(src[0] == (uint8_t)21, "the read-only grant was written");
	gt[REF_SRC].flags = 0;
	gt[REF_DST].flags = 0;
}

/*
 * What the shared entry shows while a copy writes into the grant: on Xen
 * 4.17 every use sets GTF_reading, a writable one GTF_writing as well,
 * alone or beside a read-only mapping. The copy can only be watched from
 * inside: the batch's second op copies the entry itself (our grant table
 * frame is ours to read) into the grant, which its first op pinned and
 * which stays pinned because both ops name it alike.
 */
TEST(grant_copy, entry_flags_while_copying)
{
	uint64_t s = va_to_mfn(src), t;
	uint16_t off = (uint16_t)(REF_DST * sizeof(struct grant_entry_v1));
	struct gnttab_map_grant_ref m = {
		.host_addr = (uint64_t)host, .flags = GNTMAP_host_map | GNTMAP_readonly,
		.ref = REF_DST, .dom = SELF, .status = NO_STATUS,
	};
	struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)host, .status = NO_STATUS };
	struct gnttab_copy c[2];
	const struct grant_entry_v1 *seen = (const void *)(dst + 64);

	NEED_TABLE();
	t = (l1e_of(gt, NULL) & PTE_ADDR) >> PAGE_SHIFT;	/* our table's frame */
	pattern(src, 17);
	memset(dst, 0, PAGE_SIZE);
	grant_page(REF_DST, dst, SELF, GTF_permit_access);
	c[0] = copy_op(s, DOMID_SELF, 0, REF_DST, SELF, 0, 8, GNTCOPY_dest_gref);
	c[1] = copy_op(t, DOMID_SELF, off, REF_DST, SELF, 64, 8, GNTCOPY_dest_gref);
	CHECK_RC("copy 2 at once", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, c, 2));
	CHECK_ST("status 0", GNTST_okay, c[0].status);
	CHECK_ST("status 1 (the entry)", GNTST_okay, c[1].status);
	CHECK_EQ("flags while a copy writes", GTF_permit_access | GTF_reading | GTF_writing,
		 seen->flags);
	CHECK_EQ("flags after", GTF_permit_access, gt[REF_DST].flags);

	memset(dst, 0, PAGE_SIZE);
	CHECK_RC("empty the host VA", 0, map_va(host, 0, 0));
	CHECK_RC("map the grant read-only", 0,
		 HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1));
	CHECK_ST("map status", GNTST_okay, m.status);
	CHECK_EQ("flags while mapped", GTF_permit_access | GTF_reading, gt[REF_DST].flags);
	c[0].status = c[1].status = NO_STATUS;
	CHECK_RC("copy 2 at once, mapped", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, c, 2));
	CHECK_ST("status 0, mapped", GNTST_okay, c[0].status);
	CHECK_ST("status 1 (the entry), mapped", GNTST_okay, c[1].status);
	CHECK_EQ("flags while mapped and a copy writes",
		 GTF_permit_access | GTF_reading | GTF_writing, seen->flags);
	CHECK_EQ("flags while mapped, after the copy", GTF_permit_access | GTF_reading,
		 gt[REF_DST].flags);
	if (m.status == GNTST_okay) {
		u.handle = m.handle;
		CHECK_RC("unmap", 0, HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1));
		CHECK_ST("unmap status", GNTST_okay, u.status);
	}
	CHECK_EQ("flags at the end", GTF_permit_access, gt[REF_DST].flags);
	CHECK_RC("restore the host VA", 0, restore_va(host));
	gt[REF_DST].flags = 0;
}

/*
 * A grant in use keeps the frame its first use read: when the granter
 * points the entry elsewhere while it is mapped, a copy from it still
 * reads the mapped frame (Xen 4.17's active entry); once the mapping is
 * gone, the next use reads the entry again.
 */
TEST(grant_copy, from_a_mapped_grant_whose_frame_changed)
{
	uint64_t d = va_to_mfn(dst);
	struct gnttab_map_grant_ref m = {
		.host_addr = (uint64_t)host, .flags = GNTMAP_host_map | GNTMAP_readonly,
		.ref = REF_SRC, .dom = SELF, .status = NO_STATUS,
	};
	struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)host, .status = NO_STATUS };

	NEED_TABLE();
	pattern(src, 41);
	memset(ptpage, 0x5a, PAGE_SIZE);
	memset(dst, 0, PAGE_SIZE);
	grant_page(REF_SRC, src, SELF, GTF_permit_access | GTF_readonly);
	CHECK_RC("empty the host VA", 0, map_va(host, 0, 0));
	CHECK_RC("map the grant", 0, HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1));
	CHECK_ST("map status", GNTST_okay, m.status);
	gt[REF_SRC].frame = (uint32_t)va_to_mfn(ptpage);
	CHECK_ST("copy from the mapped grant", GNTST_okay,
		 copy_one(copy_op(REF_SRC, SELF, 0, d, DOMID_SELF, 0, 64, GNTCOPY_source_gref)));
	CHECK(!memcmp(dst, src, 64), "the copy did not read the mapped frame");
	if (m.status == GNTST_okay) {
		CHECK_EQ("the mapping still shows the first frame", src[5], host[5]);
		u.handle = m.handle;
		CHECK_RC("unmap", 0, HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1));
		CHECK_ST("unmap status", GNTST_okay, u.status);
	}
	CHECK_EQ("entry flags after", GTF_permit_access | GTF_readonly, gt[REF_SRC].flags);
	CHECK_ST("copy once unmapped", GNTST_okay,
		 copy_one(copy_op(REF_SRC, SELF, 0, d, DOMID_SELF, 0, 64, GNTCOPY_source_gref)));
	CHECK_EQ("it reads the entry's new frame", 0x5a, dst[0] & dst[63]);
	CHECK_RC("restore the host VA", 0, restore_va(host));
	gt[REF_SRC].flags = 0;
}
