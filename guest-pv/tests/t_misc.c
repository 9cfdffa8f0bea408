/*
 * The hypercall mechanism itself (page stubs, direct syscall, unknown
 * numbers, multicall), and the small vCPU-state calls: stack_switch (#3),
 * fpu_taskswitch (#5), CPUID through the forced-emulation prefix.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/version.h>

extern char boot_stack_top[];

TEST(hypercall, page_stubs)
{
	const uint8_t *p = (const uint8_t *)hypercall_page;
	static const uint8_t iret_stub[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 0x17, 0, 0, 0, 0x0f, 0x05 };

	for (unsigned int i = 0; i < 128; i++) {
		const uint8_t *s = p + i * 32;
		const uint8_t expect[14] = {
			0x51, 0x41, 0x53, 0xb8, (uint8_t)i, 0, 0, 0, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3,
		};
		const uint8_t *e = i == 23 ? iret_stub : expect;
		unsigned int n = i == 23 ? sizeof(iret_stub) : sizeof(expect);

		if (memcmp(s, e, n)) {
			test_fail("stub %u starts %02x %02x %02x %02x %02x", i, s[0], s[1], s[2], s[3], s[4]);
			break;
		}
		for (unsigned int j = n; j < 32; j++)
			if (s[j] != 0xcc) {
				test_fail("stub %u byte %u is %#x, expected int3 filler", i, j, s[j]);
				return;
			}
	}
}

TEST(hypercall, direct_syscall)
{
	struct xen_feature_info fi = { .submap_idx = 0 };
	long via_page = HYPERVISOR_xen_version(XENVER_version, NULL);

	/* Linux 6.1 issues `syscall` itself, without a hypercall page. */
	CHECK_RC("xen_version via syscall", via_page,
		 hypercall_direct(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0));
	CHECK_RC("get_features via syscall", 0,
		 hypercall_direct(__HYPERVISOR_xen_version, XENVER_get_features, (unsigned long)&fi, 0, 0, 0));
	CHECK(fi.submap & (1U << 5), "get_features via syscall: submap %#x", fi.submap);
}

TEST(hypercall, preserves_registers)
{
	uint64_t rbx = 0x1111, r12 = 0x2222, r13 = 0x3333, r14 = 0x4444, r15 = 0x5555, r9 = 0x6666;
	register uint64_t r12r __asm__("r12") = r12;
	register uint64_t r13r __asm__("r13") = r13;
	register uint64_t r14r __asm__("r14") = r14;
	register uint64_t r15r __asm__("r15") = r15;
	register uint64_t r9r __asm__("r9") = r9;
	long rax;

	/* Direct syscall: everything but rax, rcx, r11 and the argument registers survives. */
	__asm__ __volatile__("mov %[nr], %%eax\n\t"
			     "xor %%edi, %%edi\n\t"
			     "xor %%esi, %%esi\n\t"
			     "syscall"
			     : "=a"(rax), "+b"(rbx), "+r"(r12r), "+r"(r13r), "+r"(r14r), "+r"(r15r), "+r"(r9r)
			     : [nr] "i"(__HYPERVISOR_xen_version)
			     : "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8", "memory");
	CHECK(rax > 0, "xen_version returned %ld", rax);
	CHECK_EQ("rbx", 0x1111, rbx);
	CHECK_EQ("r12", 0x2222, r12r);
	CHECK_EQ("r13", 0x3333, r13r);
	CHECK_EQ("r14", 0x4444, r14r);
	CHECK_EQ("r15", 0x5555, r15r);
	CHECK_EQ("r9", 0x6666, r9r);
}

TEST(hypercall, unknown_number)
{
	CHECK_RC("#11 (unused) via the page", -XEN_ENOSYS, hypercall_page_call(11, 0, 0, 0, 0, 0));
	CHECK_RC("#56 via the page", -XEN_ENOSYS, hypercall_page_call(56, 0, 0, 0, 0, 0));
	CHECK_RC("#127 via the page", -XEN_ENOSYS, hypercall_page_call(127, 0, 0, 0, 0, 0));
	CHECK_RC("#128 via syscall", -XEN_ENOSYS, hypercall_direct(128, 0, 0, 0, 0, 0));
	CHECK_RC("#1000 via syscall", -XEN_ENOSYS, hypercall_direct(1000, 0, 0, 0, 0, 0));
	CHECK_RC("#~0 via syscall", -XEN_ENOSYS, hypercall_direct(~0UL, 0, 0, 0, 0, 0));
	/* The whole of rax is the number: high bits do not alias xen_version. */
	CHECK_RC("#(1<<32 | 17) via syscall", -XEN_ENOSYS,
		 hypercall_direct((1UL << 32) | __HYPERVISOR_xen_version, 0, 0, 0, 0, 0));
}

TEST(multicall, batch)
{
	struct multicall_entry mc[3] = {
		{ .op = __HYPERVISOR_xen_version, .args = { XENVER_version } },
		{ .op = __HYPERVISOR_xen_version, .args = { XENVER_pagesize, 0 } },
		{ .op = 11 },
	};

	mc[0].result = mc[1].result = mc[2].result = 0x5a5a;
	CHECK_RC("multicall", 0, HYPERVISOR_multicall(mc, 3));
	CHECK_RC("entry 0 (version)", HYPERVISOR_xen_version(XENVER_version, NULL), (long)mc[0].result);
	CHECK_RC("entry 1 (pagesize)", 4096, (long)mc[1].result);
	CHECK_RC("entry 2 (unused #11)", -XEN_ENOSYS, (long)mc[2].result);
	CHECK_RC("empty batch", 0, HYPERVISOR_multicall(mc, 0));
	CHECK_RC("batch from a bad pointer", -XEN_EFAULT, HYPERVISOR_multicall(BAD_PTR_UNMAPPED, 1));
}

TEST(stack_switch, set)
{
	CHECK_RC("stack_switch", 0, HYPERVISOR_stack_switch(FLAT_KERNEL_SS, (unsigned long)boot_stack_top));
}

static void fnop(void)
{
	__asm__ __volatile__("fnop" ::: "memory");
}

TEST(fpu_taskswitch, set_raises_nm_once)
{
	trap_expect(7);
	fnop();
	CHECK_EQ("#NM with TS clear", 0, last_trap.count);
	CHECK_RC("fpu_taskswitch(1)", 0, HYPERVISOR_fpu_taskswitch(1));
	fnop();
	CHECK_EQ("#NM deliveries", 1, last_trap.count);
	CHECK_EQ("vector", 7, last_trap.vector);
	/* Delivering #NM clears the virtual TS: the retried fnop ran. */
	fnop();
	CHECK_EQ("#NM after the first", 1, last_trap.count);
	CHECK_RC("fpu_taskswitch(1) again", 0, HYPERVISOR_fpu_taskswitch(1));
	CHECK_RC("fpu_taskswitch(0)", 0, HYPERVISOR_fpu_taskswitch(0));
	fnop();
	CHECK_EQ("#NM after clearing TS", 1, last_trap.count);
}

TEST(cpuid, hypervisor_leaves)
{
	uint32_t a, b, c, d;
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

	pv_cpuid(XEN_CPUID_FIRST_LEAF, 0, &a, &b, &c, &d);
	CHECK_EQ("0x40000000 ebx", XEN_CPUID_SIGNATURE_EBX, b);
	CHECK_EQ("0x40000000 ecx", XEN_CPUID_SIGNATURE_ECX, c);
	CHECK_EQ("0x40000000 edx", XEN_CPUID_SIGNATURE_EDX, d);
	CHECK(a >= 0x40000002, "max leaf %#x below 0x40000002", a);
	pv_cpuid(XEN_CPUID_FIRST_LEAF + 1, 0, &a, &b, &c, &d);
	CHECK_EQ("0x40000001 eax", ver, a);
	pv_cpuid(XEN_CPUID_FIRST_LEAF + 2, 0, &a, &b, &c, &d);
	CHECK(a >= 1, "0x40000002: %u hypercall pages", a);
	CHECK_EQ("0x40000002 ebx (MSR)", 0x40000000, b);
}

/* set_debugreg/get_debugreg (#8, #9): what Linux's cpu_init does, and misuse. */
TEST(debugreg, set_and_get)
{
	static volatile uint64_t watched;
	long rc;

	CHECK_RC("set DR0 to our own data", 0, HYPERVISOR_set_debugreg(0, (unsigned long)&watched));
	CHECK_RC("get DR0", (long)(unsigned long)&watched, HYPERVISOR_get_debugreg(0));
	CHECK_RC("clear DR0", 0, HYPERVISOR_set_debugreg(0, 0));
	CHECK_RC("clear DR7", 0, HYPERVISOR_set_debugreg(7, 0));
	CHECK_RC("get DR7", 0x400, HYPERVISOR_get_debugreg(7));
	/* Xen: a breakpoint on the hypervisor is -EPERM, a register past 7 -ENODEV. */
	rc = HYPERVISOR_set_debugreg(1, 0xffff800000001000UL);
	CHECK_RC("set DR1 into the hypervisor", -XEN_EPERM, rc);
	CHECK_RC("set DR1 non-canonical", -XEN_EPERM, HYPERVISOR_set_debugreg(1, 0x8000000000000000UL));
	CHECK_RC("set DR8", -XEN_ENODEV, HYPERVISOR_set_debugreg(8, 0));
	CHECK_RC("get DR8", -XEN_ENODEV, HYPERVISOR_get_debugreg(8));
}
