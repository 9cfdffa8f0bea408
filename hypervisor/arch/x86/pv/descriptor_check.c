/*
 * Which segment descriptors a PV guest may put in its GDT or LDT
 * (pv-abi.md §6.7). The guest kernel runs in ring 3, so every descriptor
 * is made unusable for reaching ring 0: code and data segments get DPL 3
 * whatever the guest asked; a 64-bit call gate is kept only with a target
 * the guest owns and DPL 0, so that using it traps to hv; TSS, LDT,
 * interrupt and trap gates are refused. The fixed-up descriptor is what
 * the table holds (the guest reads it back so).
 */
#include <hv/page_types.h>
#include <asm/desc.h>

#define SEG_TYPE (15u << 8)
#define SEG_S (1u << 12)		/* code/data (not a system descriptor) */
#define SEG_DPL (3u << 13)
#define SEG_P (1u << 15)
#define SEG_CALL_GATE64 (12u << 8)

/* A gate's target: a guest GDT selector, the flat kernel CS, or an LDT one. */
static bool gate_selector_ok(uint32_t sel)
{
	return (sel >> 3) < FIRST_RESERVED_GDT_ENTRY || sel == FLAT_KERNEL_CS || (sel & 4);
}

bool check_descriptor(uint64_t *desc)
{
	uint32_t a = (uint32_t)*desc, b = (uint32_t)(*desc >> 32), dpl, cs;

	if (!(b & SEG_P))
		return true;		/* not present: always faults, so harmless */
	dpl = 3;			/* the guest kernel's ring */
	if (b & SEG_S) {
		b = (b & ~SEG_DPL) | (dpl << 13);
		goto good;
	}
	if ((b & SEG_TYPE) == 0)
		return true;		/* type 0 is the upper half of a call gate */
	if ((b & SEG_TYPE) != SEG_CALL_GATE64)
		return false;
	cs = a >> 16;
	if (!gate_selector_ok(cs))
		return false;
	/*
	 * DPL 0: any use of the gate traps (#GP names it), since a ring-3
	 * kernel cannot be entered through one. The requested DPL is kept in
	 * the target selector's RPL, as Xen does, DPL 0 meaning the guest
	 * kernel's ring 3 first: so a gate checked again (its page revalidated
	 * after its type went and came back) reads DPL 0 and stays as it was.
	 */
	dpl = (b & SEG_DPL) >> 13;
	if (!dpl)
		dpl = 3;
	b &= ~SEG_DPL;
	a = (a & 0xffffu) | ((cs & ~3u) | dpl) << 16;
	if (b & 0xff)
		return false;		/* reserved bits */
good:
	*desc = ((uint64_t)b << 32) | a;
	return true;
}

bool seg_desc_page_ok(uint64_t *descs, const struct domain *d)
{
	(void)d;
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
		if (!check_descriptor(&descs[i]))
			return false;
	return true;
}
