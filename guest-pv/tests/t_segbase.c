/* set_segment_base (#25): FS, user GS, kernel GS, user GS selector. */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <public/errno.h>

#define NONCANON 0x0000800000000000UL

static volatile uint64_t fs_target = 0x1122334455667788UL;
static volatile uint64_t gs_target = 0x8877665544332211UL;

static uint64_t read_fs0(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%fs:0, %0" : "=r"(v) :: "memory");
	return v;
}

static uint64_t read_gs0(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%gs:0, %0" : "=r"(v) :: "memory");
	return v;
}

TEST(set_segment_base, fs)
{
	CHECK_RC("fs base", 0, HYPERVISOR_set_segment_base(SEGBASE_FS, (unsigned long)&fs_target));
	CHECK_EQ("%fs:0", fs_target, read_fs0());
	CHECK_RC("fs base 0", 0, HYPERVISOR_set_segment_base(SEGBASE_FS, 0));
}

TEST(set_segment_base, gs_kernel)
{
	CHECK_RC("kernel gs base", 0,
		 HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, (unsigned long)&gs_target));
	CHECK_EQ("%gs:0", gs_target, read_gs0());
	CHECK_RC("kernel gs base 0", 0, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0));
}

TEST(set_segment_base, gs_user)
{
	uint64_t shadow = 0;

	CHECK_RC("user gs base", 0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0x12345000UL));
	/* In kernel mode the user base is the inactive one: KERNEL_GS_BASE. */
	if (probe_rdmsr(0xc0000102, &shadow))
		CHECK_EQ("MSR_SHADOW_GS_BASE", 0x12345000UL, shadow);
	CHECK_RC("user gs base 0", 0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0));
}

TEST(set_segment_base, gs_user_selector)
{
	/* Loading the null selector as user %gs always works. */
	CHECK_RC("user gs selector 0", 0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0));
}

#define DESC_DATA_DPL3  0x00cff2000000ffffUL
#define DESC_PRESENT    (1UL << 47)

static uint16_t read_gs(void)
{
	uint16_t s;

	__asm__ __volatile__("mov %%gs, %0" : "=r"(s));
	return s;
}

/*
 * A user %gs selector that does not load is loaded as null: one past
 * the GDT's end (#GP), and one whose descriptor is not present (#NP,
 * which the hypervisor takes in its own ring 0 and must survive).
 */
TEST(set_segment_base, gs_user_selector_refused)
{
	const uint64_t descs[3] = { 0, DESC_DATA_DPL3, DESC_DATA_DPL3 & ~DESC_PRESENT };
	unsigned long frames[1];
	volatile uint64_t *v;
	uint64_t f = frame_alloc();

	if (!f || frame_map_rw(f))
		SKIP("frame pool empty");
	v = frame_home(f);
	for (unsigned int i = 0; i < 3; i++)
		v[i] = descs[i];
	CHECK_RC("unmap the GDT frame", 0, frame_unmap(f));
	frames[0] = f;
	CHECK_RC("set_gdt(1 frame, 16 entries)", 0, HYPERVISOR_set_gdt(frames, 16));
	CHECK_RC("user gs selector 0x0b", 0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0x0b));
	CHECK_EQ("%gs from GDT entry 1", 0x0b, read_gs());
	CHECK_RC("user gs selector 0x13 (not present)", 0,
		 HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0x13));
	CHECK_EQ("%gs after a not-present descriptor", 0, read_gs());
	CHECK_RC("user gs selector 0x0b again", 0,
		 HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0x0b));
	CHECK_RC("user gs selector of entry 20 (past the GDT's 16)", 0,
		 HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 20 << 3 | 3));
	CHECK_EQ("%gs after a selector past the GDT", 0, read_gs());
	/* A load sets the user GS base from the descriptor: back to ours. */
	CHECK_RC("user gs base 0", 0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0));
	CHECK_RC("drop the GDT", 0, HYPERVISOR_set_gdt(NULL, 0));
	CHECK(frame_free(f), "the GDT frame stayed typed");
}

TEST(set_segment_base, noncanonical)
{
	CHECK_RC("fs", -XEN_EINVAL, HYPERVISOR_set_segment_base(SEGBASE_FS, NONCANON));
	CHECK_RC("user gs", -XEN_EINVAL, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, NONCANON));
	CHECK_RC("kernel gs", -XEN_EINVAL, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, NONCANON));
}

TEST(set_segment_base, bad_which)
{
	CHECK_RC("which 4", -XEN_EINVAL, HYPERVISOR_set_segment_base(4, 0));
	CHECK_RC("which 100", -XEN_EINVAL, HYPERVISOR_set_segment_base(100, 0));
	CHECK_RC("which ~0", -XEN_EINVAL, HYPERVISOR_set_segment_base(~0U, 0));
}
