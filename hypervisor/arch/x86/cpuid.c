/*
 * The CPUID a PV guest sees (pv-abi.md §7.2): the host's, with what a
 * ring-3 kernel cannot use hidden, plus Xen's hypervisor leaves at
 * 0x40000000 — without those Linux never sets itself up as a Xen guest.
 */
#include <hv/domain.h>
#include <public/arch-x86_64.h>
#include <asm/processor.h>
#include <asm/pv.h>

#define HV_LEAF_MAX 0x40000005u

/* Leaf 1 ecx/edx bits to hide. */
#define L1_ECX_HIDE ((1u << 3) | (1u << 5) | (1u << 15) | (1u << 17) | (1u << 21) | \
		     (1u << 24) | (1u << 26) | (1u << 27) | (1u << 28))	/* MONITOR VMX PDCM PCID X2APIC TSC_DEADLINE XSAVE OSXSAVE AVX */
#define L1_EDX_HIDE ((1u << 1) | (1u << 3) | (1u << 7) | (1u << 12) | (1u << 13) | (1u << 14) | \
		     (1u << 17) | (1u << 21) | (1u << 22) | (1u << 29))
	/* VME PSE MCE MTRR PGE MCA PSE36 DS ACPI TM: machine checks and thermal stay hv's */
/* Leaf 7.0 ebx: FSGSBASE, BMI-independent safety bits SMEP, SMAP, INVPCID, AVX2+... */
#define L7_EBX_HIDE ((1u << 0) | (1u << 5) | (1u << 7) | (1u << 10) | (1u << 16) | (1u << 20) | \
		     (1u << 26) | (1u << 27) | (1u << 28) | (1u << 30) | (1u << 31))	/* FSGSBASE AVX2 SMEP INVPCID AVX512* SMAP */
#define L7_ECX_HIDE ((1u << 2) | (1u << 3) | (1u << 4) | (1u << 7) | (1u << 16))	/* UMIP PKU OSPKE CET_SS LA57 */
#define L7_EDX_HIDE ((1u << 20) | (1u << 26) | (1u << 27) | (1u << 29) | (1u << 31))	/* CET_IBT IBRS STIBP ARCH_CAPS SSBD */
#define L81_ECX_HIDE ((1u << 2))			/* SVM */
#define L81_EDX_HIDE ((1u << 26))			/* PAGE1GB */

static void hypervisor_leaves(const struct domain *d, uint32_t leaf, uint32_t r[4])
{
	r[0] = r[1] = r[2] = r[3] = 0;
	switch (leaf) {
	case 0x40000000:
		r[0] = HV_LEAF_MAX;
		r[1] = XEN_CPUID_SIGNATURE_EBX;
		r[2] = XEN_CPUID_SIGNATURE_ECX;
		r[3] = XEN_CPUID_SIGNATURE_EDX;
		break;
	case 0x40000001:
		r[0] = (4u << 16) | 17;		/* the Xen interface hv implements */
		break;
	case 0x40000002:
		r[0] = 1;			/* one hypercall page */
		r[1] = 0x40000000;		/* MSR that fills it */
		r[2] = 1;			/* MMU_PT_UPDATE_PRESERVE_AD */
		break;
	case 0x40000005:
		r[1] = 44;			/* keeps Linux on grant tables v1 */
		break;
	default:
		break;				/* 3 (TSC info) and 4 (HVM) stay 0 */
	}
	(void)d;
}

void guest_cpuid(const struct domain *d, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	if (leaf >= 0x40000000 && leaf < 0x40010000) {
		hypervisor_leaves(d, leaf, r);
		return;
	}
	cpuid(leaf, sub, &r[0], &r[1], &r[2], &r[3]);
	switch (leaf) {
	case 1:
		r[2] = (r[2] & ~L1_ECX_HIDE) | (1u << 31);	/* HYPERVISOR */
		r[3] &= ~L1_EDX_HIDE;
		break;
	case 7:
		if (sub == 0) {
			r[1] &= ~L7_EBX_HIDE;
			r[2] &= ~L7_ECX_HIDE;
			r[3] &= ~L7_EDX_HIDE;
		}
		break;
	case 0xd:
		r[0] = r[1] = r[2] = r[3] = 0;			/* XSAVE is hidden */
		break;
	case 0x80000001:
		r[2] &= ~L81_ECX_HIDE;
		r[3] &= ~L81_EDX_HIDE;
		break;
	default:
		break;
	}
}
