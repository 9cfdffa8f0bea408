/*
 * grant_table_op (#20), v1: table setup and size, version, and a grant
 * to ourselves used by GNTTABOP_copy; the per-entry status codes.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/grant_table.h>

#define PTE_RW_FLAGS 0x067UL    /* P RW US A D */

static uint8_t gnt_va[PAGE_SIZE] __aligned(PAGE_SIZE);     /* the table frame, once mapped */
static uint8_t src[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t dst[PAGE_SIZE] __aligned(PAGE_SIZE);
static struct grant_entry_v1 *gnttab;

static uint64_t virt_to_mfn(const void *va)
{
	return p2m[((uint64_t)va - VIRT_BASE) >> PAGE_SHIFT];
}

TEST(grant_table, query_size)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };

	CHECK_RC("query_size", 0, HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1));
	CHECK_RC("status", GNTST_okay, q.status);
	CHECK(q.max_nr_frames >= 1 && q.nr_frames <= q.max_nr_frames, "nr_frames %u max %u",
	      q.nr_frames, q.max_nr_frames);
	printf("  (grant table: %u of %u frames)\n", q.nr_frames, q.max_nr_frames);
	q.dom = 0x7ff4;
	CHECK_RC("query_size(DOMID_INVALID)", 0, HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1));
	CHECK_RC("status for DOMID_INVALID", GNTST_bad_domain, q.status);
}

TEST(grant_table, set_version_1)
{
	struct gnttab_set_version v = { .version = 1 };

	CHECK_RC("set_version(1)", 0, HYPERVISOR_grant_table_op(GNTTABOP_set_version, &v, 1));
	CHECK_EQ("version", 1, v.version);
}

TEST(grant_table, setup_table)
{
	uint64_t frame = 0;
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1, .frame_list = (uint64_t)&frame };
	struct gnttab_query_size q = { .dom = DOMID_SELF };

	CHECK_RC("setup_table(1)", 0, HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1));
	CHECK_RC("status", GNTST_okay, st.status);
	CHECK(frame != 0, "frame 0");
	CHECK_RC("query_size", 0, HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1));
	CHECK(q.nr_frames >= 1, "nr_frames %u after setup", q.nr_frames);
	/* The table frame is the hypervisor's, shared with us read-write. */
	CHECK_RC("map the table frame", 0,
		 HYPERVISOR_update_va_mapping((unsigned long)gnt_va, (frame << PAGE_SHIFT) | PTE_RW_FLAGS,
					      UVMF_INVLPG));
	gnttab = (struct grant_entry_v1 *)gnt_va;
	st.nr_frames = 100000;
	CHECK_RC("setup_table(100000)", 0, HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1));
	CHECK_RC("status for too many frames", GNTST_general_error, st.status);
}

TEST(grant_table, copy_from_own_grant)
{
	struct gnttab_copy c;

	if (!gnttab)
		SKIP("grant table not set up");
	if (!is_initial_domain())
		SKIP("a grant names its grantee's domid; only dom0 knows its own (0)");
	for (unsigned int i = 0; i < 64; i++)
		src[i] = (uint8_t)(i * 3 + 1);
	memset(dst, 0, 64);
	gnttab[8].domid = 0;
	gnttab[8].frame = (uint32_t)virt_to_mfn(src);
	__asm__ __volatile__("" ::: "memory");
	gnttab[8].flags = GTF_permit_access | GTF_readonly;

	memset(&c, 0, sizeof(c));
	c.source.u.ref = 8;
	c.source.domid = DOMID_SELF;
	c.source.offset = 0;
	c.dest.u.gmfn = virt_to_mfn(dst);
	c.dest.domid = DOMID_SELF;
	c.dest.offset = 16;
	c.len = 48;
	c.flags = GNTCOPY_source_gref;
	CHECK_RC("copy", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1));
	CHECK_RC("copy status", GNTST_okay, c.status);
	CHECK(!memcmp(dst + 16, src, 48), "copied bytes differ");
	CHECK_EQ("bytes before the copy untouched", 0, dst[0]);
	CHECK_EQ("reading/writing flags cleared", GTF_permit_access | GTF_readonly, gnttab[8].flags);

	/* A copy may not cross a page boundary. */
	c.dest.offset = PAGE_SIZE - 8;
	CHECK_RC("copy across a page", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1));
	CHECK_RC("status across a page", GNTST_bad_copy_arg, c.status);
	/* A read-only grant cannot be a destination. */
	c.flags = GNTCOPY_dest_gref;
	c.dest.u.ref = 8;
	c.dest.offset = 0;
	c.source.u.gmfn = virt_to_mfn(dst);
	CHECK_RC("copy into a read-only grant", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1));
	/* Xen reports GNTST_general_error here, not permission_denied. */
	CHECK_RC("status into a read-only grant", GNTST_general_error, c.status);
	/* A ref beyond the table. */
	c.flags = GNTCOPY_source_gref;
	c.source.u.ref = 0x7fffffff;
	c.dest.u.gmfn = virt_to_mfn(dst);
	CHECK_RC("copy from a bad ref", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1));
	CHECK_RC("status for a bad ref", GNTST_bad_gntref, c.status);
	gnttab[8].flags = 0;
}

TEST(grant_table, invalid)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };

	CHECK_RC("unknown cmd 99", -XEN_ENOSYS, HYPERVISOR_grant_table_op(99, &q, 1));
	CHECK_RC("query_size from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_grant_table_op(GNTTABOP_query_size, BAD_PTR_UNMAPPED, 1));
}

TEST(grant_setup, refusals)
{
	uint64_t frames[2] = { 0, 0 };
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .frame_list = (uint64_t)frames };
	struct gnttab_query_size q = { .dom = DOMID_SELF }, q2[2];
	uint32_t nr, max;

	CHECK_RC("query_size", 0, HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1));
	nr = q.nr_frames;
	max = q.max_nr_frames;
	/* The table ops take exactly one element. */
	CHECK_RC("query_size with count 0", -XEN_EINVAL, HYPERVISOR_grant_table_op(GNTTABOP_query_size, q2, 0));
	CHECK_RC("query_size with count 2", -XEN_EINVAL, HYPERVISOR_grant_table_op(GNTTABOP_query_size, q2, 2));
	st.nr_frames = 1;
	CHECK_RC("setup_table with count 0", -XEN_EINVAL, HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 0));
	CHECK_RC("setup_table with count 2", -XEN_EINVAL, HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 2));
	/* Bits above the command are only for continuations of cache_flush. */
	CHECK_RC("query_size with cmd | 1 << 12", -XEN_EINVAL,
		 HYPERVISOR_grant_table_op(GNTTABOP_query_size | (1U << 12), &q, 1));

	/* One frame past the maximum: refused, the table keeps its size. */
	st.nr_frames = max + 1;
	st.status = 99;
	CHECK_RC("setup_table(max + 1)", 0, HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1));
	CHECK_RC("status", GNTST_general_error, st.status);
	CHECK_RC("query_size", 0, HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1));
	CHECK_EQ("nr_frames unchanged", nr, q.nr_frames);
	st.nr_frames = 0;
	CHECK_RC("setup_table(0 frames)", 0, HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1));
	CHECK_RC("status", GNTST_okay, st.status);
	st.nr_frames = 1;
	st.frame_list = (uint64_t)BAD_PTR_HV;
	CHECK_RC("setup_table(frame list in the hypervisor)", -XEN_EFAULT,
		 HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1));
	st.frame_list = (uint64_t)frames;
	st.dom = DOMID_INVALID;
	CHECK_RC("setup_table(DOMID_INVALID)", 0, HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1));
	CHECK_RC("status", GNTST_bad_domain, st.status);
	st.dom = 0x1234;
	CHECK_RC("setup_table(domain 0x1234)", 0, HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1));
	CHECK_RC("status", GNTST_bad_domain, st.status);
	CHECK_EQ("no frame written", 0, frames[0]);
	q.dom = 0x1234;
	CHECK_RC("query_size(domain 0x1234)", 0, HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1));
	CHECK_RC("status", GNTST_bad_domain, q.status);
	CHECK_RC("setup_table from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_grant_table_op(GNTTABOP_setup_table, BAD_PTR_UNMAPPED, 1));
}
