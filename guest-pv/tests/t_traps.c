/*
 * set_trap_table (#0) and exception delivery: the bounce frame the
 * hypervisor builds and the iret hypercall (#23) that returns from it.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>

#define X86_EFLAGS_IF   0x200UL

/* int3, then report where execution resumed and the recorded frame. */
static uint64_t do_int3(void)
{
	uint64_t after;

	__asm__ __volatile__("int3\n\t"
			     "1: lea 1b(%%rip), %0" : "=r"(after) :: "memory");
	return after;
}

TEST(trap_table, install_and_int3)
{
	uint64_t after;

	CHECK_RC("set_trap_table(ours)", 0, HYPERVISOR_set_trap_table(guest_trap_table));
	trap_expect(3);
	after = do_int3();
	CHECK_EQ("#BP deliveries", 1, last_trap.count);
	CHECK_EQ("vector", 3, last_trap.vector);
	CHECK_EQ("rip after int3", after, last_trap.rip);
}

TEST(trap_table, bounce_frame)
{
	trap_expect(3);
	do_int3();
	/* Guest kernel context: CS RPL reads as 0; the saved mask sits in bits 32-39. */
	CHECK_EQ("frame cs selector", FLAT_KERNEL_CS & ~3, last_trap.cs & 0xffff);
	CHECK_EQ("frame saved upcall mask", 1, (last_trap.cs >> 32) & 0xff);
	/* Events are masked, so the frame's IF is clear. */
	CHECK_EQ("frame rflags.IF", 0, last_trap.rflags & X86_EFLAGS_IF);
	CHECK_EQ("live cs after iret", FLAT_KERNEL_CS, read_cs());
	CHECK_EQ("live ss after iret", FLAT_KERNEL_SS, read_ss());
}

TEST(trap_table, null_clears)
{
	/* Clearing leaves us without handlers: reinstall at once. */
	CHECK_RC("set_trap_table(NULL)", 0, HYPERVISOR_set_trap_table(NULL));
	CHECK_RC("set_trap_table(ours)", 0, HYPERVISOR_set_trap_table(guest_trap_table));
	trap_expect(3);
	do_int3();
	CHECK_EQ("int3 after reinstall", 3, last_trap.vector);
}

TEST(trap_table, noncanonical_handler)
{
	struct trap_info t[2] = {
		{ .vector = 3, .flags = 3, .cs = FLAT_KERNEL_CS, .address = 0x0000800000000000UL },
		{ .address = 0 },
	};

	CHECK_RC("non-canonical handler", -XEN_EINVAL, HYPERVISOR_set_trap_table(t));
	/* Nothing was installed: int3 still reaches our handler. */
	trap_expect(3);
	do_int3();
	CHECK_EQ("int3 still handled", 3, last_trap.vector);
}

TEST(trap_table, bad_pointer)
{
	CHECK_RC("unmapped table", -XEN_EFAULT, HYPERVISOR_set_trap_table(BAD_PTR_UNMAPPED));
	CHECK_RC("table in the hypervisor", -XEN_EFAULT, HYPERVISOR_set_trap_table(BAD_PTR_HV));
	CHECK_RC("non-canonical table", -XEN_EFAULT, HYPERVISOR_set_trap_table(BAD_PTR_NONCANON));
}

TEST(traps, ud2)
{
	uint64_t at;

	trap_expect(6);
	__asm__ __volatile__("lea 1f(%%rip), %0\n\t"
			     "1: ud2\n\t"
			     "2:\n\t"
			     EX_TABLE(1b, 2b)
			     : "=r"(at) :: "memory");
	CHECK_EQ("#UD deliveries", 1, last_trap.count);
	CHECK_EQ("vector", 6, last_trap.vector);
	CHECK_EQ("rip of ud2", at, last_trap.rip);
}

TEST(traps, page_fault_not_present)
{
	uint64_t v;

	if (!shared_info)
		SKIP("shared_info not mapped: cannot read vcpu_info.arch.cr2");
	CHECK(!probe_read_u64((const volatile uint64_t *)0x10, &v), "read of 0x10 did not fault");
	CHECK_EQ("vector", 14, last_trap.vector);
	CHECK_EQ("cr2", 0x10, last_trap.cr2);
	/* Not present, read, and the U bit clear: the guest kernel faulted. */
	CHECK_EQ("error code", 0, last_trap.error_code);
}

TEST(traps, page_fault_write_read_only)
{
	volatile uint64_t *m2p = (volatile uint64_t *)MACH2PHYS_VIRT_START;
	volatile uint64_t *slot = &m2p[p2m[0]];

	if (!shared_info)
		SKIP("shared_info not mapped: cannot read vcpu_info.arch.cr2");
	CHECK(!probe_write_u64(slot, 0), "write to the read-only M2P did not fault");
	CHECK_EQ("vector", 14, last_trap.vector);
	CHECK_EQ("cr2", (uint64_t)slot, last_trap.cr2);
	CHECK_EQ("error code (present, write)", 3, last_trap.error_code);
}

TEST(traps, privileged_mov_from_cr0)
{
	uint64_t cr0;

	/* #GP at CPL 3, emulated by the hypervisor. */
	__asm__ __volatile__("mov %%cr0, %0" : "=r"(cr0));
	CHECK((cr0 & 0x80000001UL) == 0x80000001UL, "cr0 %#lx lacks PE|PG", cr0);
	CHECK_EQ("traps seen by the guest", 0, last_trap.count);
}

TEST(traps, privileged_rdmsr_efer)
{
	uint64_t efer = 0;

	CHECK(probe_rdmsr(0xc0000080, &efer), "rdmsr EFER faulted (vector %u)", last_trap.vector);
	CHECK((efer & 0x500) == 0x500, "EFER %#lx lacks LME|LMA", efer);
}
