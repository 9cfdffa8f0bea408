/*
 * Descriptor tables: set_gdt (#2), update_descriptor (#10) and an LDT
 * (mmuext SET_LDT). Frames of a GDT take the segment-descriptor type, so
 * they must not be mapped writable; every descriptor is checked — code
 * and data segments pass with their DPL raised to 3, call gates pass with
 * DPL 0, other system descriptors and gates are refused. Selectors from
 * the new tables are loaded into data segment registers and dropped.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <public/errno.h>

/* Descriptors (flat, 4 KiB granular where it matters). */
#define DESC_DATA_DPL0  0x00cf92000000ffffUL
#define DESC_DATA_DPL1  0x00cfb2000000ffffUL
#define DESC_DATA_DPL3  0x00cff2000000ffffUL
#define DESC_CODE64_DPL0 0x00af9a000000ffffUL
#define DESC_CODE64_DPL3 0x00affa000000ffffUL
#define DESC_TSS64      0x0000890000000067UL
#define DESC_LDT        0x0000820000000fffUL
#define DESC_INTGATE    0x00008e0000100000UL
#define DESC_TRAPGATE   0x00008f0000100000UL
/* A 64-bit call gate, DPL 3, to selector sel at offset 0 (low 8 bytes). */
#define DESC_CALLGATE(sel) (0x0000ec0000000000UL | ((uint64_t)(sel) << 16))
#define DESC_DPL(d)     (((d) >> 45) & 3)
/* The CPU sets a segment's accessed bit when it loads the selector. */
#define DESC_ACCESSED   (1UL << 40)

static uint16_t read_es(void)
{
	uint16_t s;

	__asm__ __volatile__("mov %%es, %0" : "=r"(s));
	return s;
}

static uint16_t read_ds(void)
{
	uint16_t s;

	__asm__ __volatile__("mov %%ds, %0" : "=r"(s));
	return s;
}

static uint16_t read_fs(void)
{
	uint16_t s;

	__asm__ __volatile__("mov %%fs, %0" : "=r"(s));
	return s;
}

/* A pool frame holding the given descriptors (from entry 0), left unmapped. */
static uint64_t desc_frame(const uint64_t *descs, unsigned int n)
{
	uint64_t f = frame_alloc();
	volatile uint64_t *v;

	if (!f || frame_map_rw(f))
		return 0;
	v = frame_home(f);
	for (unsigned int i = 0; i < n; i++)
		v[i] = descs[i];
	frame_unmap(f);
	return f;
}

/* No GDT of ours, as at boot: only the hypervisor's flat selectors. */
static long drop_gdt(void)
{
	return HYPERVISOR_set_gdt(NULL, 0);
}

TEST(descriptor, set_gdt_and_load)
{
	const uint64_t descs[4] = { 0, DESC_DATA_DPL0, DESC_CODE64_DPL0, DESC_DATA_DPL1 };
	uint64_t f = desc_frame(descs, 4);
	unsigned long frames[1] = { f };
	const volatile uint64_t *v;

	if (!f)
		SKIP("frame pool empty");
	CHECK_RC("set_gdt(1 frame, 16 entries)", 0, HYPERVISOR_set_gdt(frames, 16));
	CHECK_RC("map the GDT frame read-only", 0, frame_map_ro(f));
	v = frame_home(f);
	/* The hypervisor fixed the DPLs up in place. */
	CHECK_EQ("data descriptor, DPL forced to 3", DESC_DATA_DPL3, v[1]);
	CHECK_EQ("code descriptor, DPL forced to 3", DESC_CODE64_DPL3, v[2]);
	CHECK_EQ("DPL 1 data descriptor, DPL 3", DESC_DATA_DPL3, v[3]);
	CHECK_EQ("null descriptor untouched", 0, v[0]);

	/* Selector 0x0b: GDT entry 1, RPL 3. */
	CHECK(probe_load_es(0x0b), "loading %%es with 0x0b faulted (vector %u, error %#lx)", last_trap.vector,
	      last_trap.error_code);
	CHECK(probe_load_ds(0x0b), "loading %%ds with 0x0b faulted");
	CHECK(probe_load_fs(0x1b), "loading %%fs with 0x1b faulted");
	CHECK_EQ("%es", 0x0b, read_es());
	CHECK_EQ("%ds", 0x0b, read_ds());
	CHECK_EQ("%fs", 0x1b, read_fs());
	CHECK_EQ("a read through %ds works", start_info->nr_pages,
		 ((volatile const struct start_info *)start_info)->nr_pages);
	CHECK(probe_load_es(0) && probe_load_ds(0) && probe_load_fs(0), "loading null selectors faulted");
	/* Entries past the 16 given read as empty: #GP with the selector as error code. */
	CHECK(!probe_load_es(20 << 3 | 3), "loading GDT entry 20 of 16 did not fault");
	CHECK_EQ("vector", 13, last_trap.vector);
	CHECK_EQ("error code", 20 << 3, last_trap.error_code);
	CHECK_EQ("%es unchanged", 0, read_es());
	CHECK_RC("fs base back to 0", 0, HYPERVISOR_set_segment_base(SEGBASE_FS, 0));

	/* While in the GDT the frame is no page table and takes no writable mapping. */
	CHECK_RC("map the GDT frame writable", -XEN_EBUSY, frame_map_rw(f));
	CHECK_RC("pin the GDT frame as L1", -XEN_EINVAL, pin_table(1, f));
	CHECK_RC("mmu_update into the GDT frame", -XEN_EINVAL, mmu_write((f << PAGE_SHIFT) + 8, 0));
	CHECK_EQ("entry 1 unchanged (but for the accessed bit)", DESC_DATA_DPL3 | DESC_ACCESSED,
		 v[1] | DESC_ACCESSED);

	CHECK_RC("drop the GDT", 0, drop_gdt());
	CHECK(frame_free(f), "the GDT frame stayed typed");
}

TEST(descriptor, set_gdt_refused)
{
	const uint64_t good[2] = { 0, DESC_DATA_DPL3 };
	const uint64_t tss[2] = { 0, DESC_TSS64 };
	uint64_t g = desc_frame(good, 2), t = desc_frame(tss, 2), w = frame_alloc(), f = foreign_frame();
	unsigned long frames[2];

	if (!g || !t || !w)
		SKIP("frame pool empty");
	CHECK_RC("map w writable", 0, frame_map_rw(w));
	frames[0] = w;
	CHECK_RC("a frame still mapped writable", -XEN_EINVAL, HYPERVISOR_set_gdt(frames, 16));
	CHECK(probe_write_u64(frame_home(w), 3), "w is no longer writable");
	frames[0] = t;
	CHECK_RC("a frame holding a TSS descriptor", -XEN_EINVAL, HYPERVISOR_set_gdt(frames, 16));
	/* The first frame is good, the second is not: nothing is kept. */
	frames[0] = g;
	frames[1] = t;
	CHECK_RC("a good and a bad frame", -XEN_EINVAL, HYPERVISOR_set_gdt(frames, 1024));
	if (f) {
		frames[1] = f;
		CHECK_RC("a good frame and one not ours", -XEN_EINVAL, HYPERVISOR_set_gdt(frames, 1024));
	}
	CHECK_RC("7169 entries (past the guest's 7168)", -XEN_EINVAL, HYPERVISOR_set_gdt(frames, 7169));
	CHECK_RC("frame list at an unmapped address", -XEN_EFAULT,
		 HYPERVISOR_set_gdt((const unsigned long *)BAD_PTR_UNMAPPED, 16));
	CHECK_RC("frame list in the hypervisor", -XEN_EFAULT,
		 HYPERVISOR_set_gdt((const unsigned long *)BAD_PTR_HV, 16));
	/* No entries: no frame is read. */
	CHECK_RC("no entries, bad list", 0, HYPERVISOR_set_gdt((const unsigned long *)BAD_PTR_UNMAPPED, 0));
	/* Every refused frame is an ordinary frame still. */
	CHECK(frame_free(g), "the good frame kept a type");
	CHECK(frame_free(t), "the TSS frame kept a type");
	CHECK(frame_free(w), "the writable frame kept a type");
}

TEST(descriptor, update_descriptor_valid)
{
	uint64_t g = desc_frame((const uint64_t[]){ 0 }, 1), w = frame_alloc();
	unsigned long frames[1] = { g };
	const volatile uint64_t *gv, *wv;
	uint64_t np = 0x1234567800001234UL & ~(1UL << 47);

	if (!g || !w)
		SKIP("frame pool empty");
	CHECK_RC("set_gdt", 0, HYPERVISOR_set_gdt(frames, 512));
	CHECK_RC("map the GDT frame read-only", 0, frame_map_ro(g));
	gv = frame_home(g);
	CHECK_RC("data DPL 0 into the GDT", 0, HYPERVISOR_update_descriptor((g << PAGE_SHIFT) + 5 * 8, DESC_DATA_DPL0));
	CHECK_EQ("read back with DPL 3", DESC_DATA_DPL3, gv[5]);
	CHECK_RC("code DPL 0 into the GDT", 0, HYPERVISOR_update_descriptor((g << PAGE_SHIFT) + 6 * 8, DESC_CODE64_DPL0));
	CHECK_EQ("read back with DPL 3", DESC_CODE64_DPL3, gv[6]);
	CHECK_RC("a not-present descriptor is stored as is", 0,
		 HYPERVISOR_update_descriptor((g << PAGE_SHIFT) + 7 * 8, np));
	CHECK_EQ("read back", np, gv[7]);
	/* Live: a selector for the new entry loads. */
	CHECK(probe_load_es(5 << 3 | 3), "loading %%es with the new entry faulted");
	CHECK_EQ("%es", 5 << 3 | 3, read_es());
	CHECK(probe_load_es(0), "loading a null %%es faulted");
	/* An ordinary frame of ours takes descriptors too (a GDT being prepared). */
	CHECK_RC("map w writable", 0, frame_map_rw(w));
	wv = frame_home(w);
	CHECK_RC("data into a plain frame", 0, HYPERVISOR_update_descriptor((w << PAGE_SHIFT) + 8, DESC_DATA_DPL0));
	CHECK_EQ("read back with DPL 3", DESC_DATA_DPL3, wv[1]);
	CHECK_RC("drop the GDT", 0, drop_gdt());
	CHECK(frame_free(g) && frame_free(w), "a frame stayed typed");
}

TEST(descriptor, update_descriptor_refused)
{
	static const struct { uint64_t d; const char *what; } bad[] = {
		{ DESC_TSS64, "64-bit TSS" },
		{ DESC_LDT, "LDT descriptor" },
		{ DESC_INTGATE, "interrupt gate" },
		{ DESC_TRAPGATE, "trap gate" },
		{ DESC_CALLGATE(0xe008), "call gate to a hypervisor selector" },
	};
	uint64_t w = frame_alloc(), l1 = frame_alloc(), f = foreign_frame();
	const volatile uint64_t *wv;

	if (!w || !l1)
		SKIP("frame pool empty");
	CHECK_RC("map w writable", 0, frame_map_rw(w));
	wv = frame_home(w);
	((volatile uint64_t *)wv)[2] = 0x77;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK_RC(bad[i].what, -XEN_EINVAL, HYPERVISOR_update_descriptor((w << PAGE_SHIFT) + 16, bad[i].d));
	CHECK_EQ("the slot is unchanged", 0x77, wv[2]);
	CHECK_RC("misaligned address", -XEN_EINVAL,
		 HYPERVISOR_update_descriptor((w << PAGE_SHIFT) + 20, DESC_DATA_DPL3));
	CHECK_EQ("the slot is unchanged", 0x77, wv[2]);
	CHECK_RC("pin an L1", 0, pin_table(1, l1));
	CHECK_RC("into a page table", -XEN_EINVAL, HYPERVISOR_update_descriptor(l1 << PAGE_SHIFT, DESC_DATA_DPL3));
	CHECK_EQ("the table is unchanged", 0, frame_peek(l1, 0));
	if (f)
		CHECK_RC("into a frame not ours", -XEN_EINVAL,
			 HYPERVISOR_update_descriptor(f << PAGE_SHIFT, DESC_DATA_DPL3));
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(w) && frame_free(l1), "a frame stayed typed");
}

/* Call gates pass with DPL 0 (so their use traps); the target's RPL keeps the DPL. */
TEST(descriptor, call_gate)
{
	uint64_t w = frame_alloc();
	const volatile uint64_t *wv;

	if (!w)
		SKIP("frame pool empty");
	CHECK_RC("map w writable", 0, frame_map_rw(w));
	wv = frame_home(w);
	CHECK_RC("call gate to a guest selector", 0,
		 HYPERVISOR_update_descriptor(w << PAGE_SHIFT, DESC_CALLGATE(0x10)));
	CHECK_EQ("gate DPL forced to 0", 0, DESC_DPL(wv[0]));
	CHECK_EQ("target selector with RPL 3", 0x13, (wv[0] >> 16) & 0xffff);
	CHECK_RC("call gate to FLAT_KERNEL_CS", 0,
		 HYPERVISOR_update_descriptor((w << PAGE_SHIFT) + 16, DESC_CALLGATE(FLAT_KERNEL_CS)));
	CHECK_EQ("target", FLAT_KERNEL_CS, (wv[2] >> 16) & 0xffff);
	CHECK(frame_free(w), "the frame stayed typed");
}

/* An LDT: page aligned, read-only mapped, typed on first use; a selector from it loads. */
TEST(descriptor, ldt_load_selector)
{
	const uint64_t descs[2] = { DESC_DATA_DPL0, DESC_DATA_DPL3 };
	uint64_t l = desc_frame(descs, 2);
	void *va;

	if (!l)
		SKIP("frame pool empty");
	CHECK_RC("map the LDT frame read-only", 0, frame_map_ro(l));
	va = frame_home(l);
	CHECK_RC("SET_LDT(2 entries)", 0, mmuext(MMUEXT_SET_LDT, (uint64_t)va, 2));
	/* Selector 0x0f: LDT entry 1, RPL 3; 0x07: entry 0, DPL fixed up on use. */
	CHECK(probe_load_es(0x0f), "loading %%es from the LDT faulted (vector %u, error %#lx)", last_trap.vector,
	      last_trap.error_code);
	CHECK_EQ("%es from the LDT", 0x0f, read_es());
	CHECK(probe_load_es(0x07), "loading %%es from LDT entry 0 faulted");
	CHECK_EQ("%es from LDT entry 0", 0x07, read_es());
	CHECK(probe_load_es(0), "loading a null %%es faulted");
	/* In use as an LDT page, the frame takes no writable mapping. */
	CHECK_RC("map the LDT frame writable", -XEN_EBUSY, frame_map_rw(l));
	/*
	 * The hypervisor's LDT window is its own: the guest reading it is a
	 * plain #PF at that address (never a way to make it map the page).
	 */
	if (target_hypervisor()) {
		/* vCPU 0's LDT: Xen's per-domain area + 64 KiB, hv's GDT window + 64 KiB. */
		uint64_t window = !strcmp(target_hypervisor(), "xen") ?
				  0xffff820000010000UL : 0xffff82c000010000UL, v;

		CHECK(!probe_read_u64((const volatile uint64_t *)window, &v),
		      "the LDT window was readable from the guest");
		CHECK_EQ("#PF", 14, last_trap.vector);
		CHECK_EQ("#PF at the window", window, last_trap.cr2);
	}
	CHECK_RC("drop the LDT", 0, mmuext(MMUEXT_SET_LDT, 0, 0));
	CHECK(frame_free(l), "the LDT frame stayed typed");
}
