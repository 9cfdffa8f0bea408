/*
 * Guest user mode (pv-abi.md §6.2-6.6): a user L4 of its own installed
 * with NEW_USER_BASEPTR, the iret hypercall to a user CS, and every way
 * back into the guest kernel — syscall to the registered callback on the
 * stack_switch stack, exceptions with the U bit in #PF's error code,
 * int $0x80 through a DPL-3 trap entry, int3 — plus what user mode must
 * not reach, and the GS base swap between the two modes.
 */
#include <guest/arch.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/user.h>
#include <public/errno.h>

#define RFLAGS_IF   0x200UL
#define RFLAGS_BASE 0x002UL

#define PF_USER         4
#define PF_WRITE        2
#define PF_PRESENT      1

static bool setup(struct user_space *us)
{
	long rc = user_space_create(us);

	if (rc) {
		CHECK_RC("building the user address space", 0, rc);
		user_space_destroy(us);
		return false;
	}
	return true;
}

static void teardown(struct user_space *us)
{
	CHECK(user_space_destroy(us), "a user page-table frame stayed typed");
}

static const char *how_str(enum user_end how)
{
	return how == USER_EXITED ? "exit" : how == USER_TRAPPED ? "trap" : "?";
}

#define CHECK_EXITED(r) \
	CHECK((r).how == USER_EXITED, "the run ended by %s (vector %u, rip %#lx, err %#lx, cr2 %#lx)", \
	      how_str((r).how), (r).vector, (r).rip, (r).error_code, (r).cr2)
#define CHECK_TRAPPED(r, vec) do { \
	CHECK((r).how == USER_TRAPPED, "the run ended by %s (value %#lx), not a trap", how_str((r).how), (r).value); \
	CHECK_EQ("vector", (vec), (r).vector); \
} while (0)

TEST(user, enter_and_exit)
{
	struct user_space us;
	struct user_run r;
	uint64_t cr3 = cr3_mfn();

	if (!setup(&us))
		return;
	user_run(user_prog_exit, 41, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("exit value", 42, r.value);
	CHECK_EQ("user rsp at entry", USER_STACK_TOP, r.aux);
	/* The syscall frame: user rip after the instruction, user rsp. */
	CHECK_EQ("frame rip", user_va(user_prog_exit_syscall) + 2, r.sys_rip);
	CHECK_EQ("frame rsp", USER_STACK_TOP, r.sys_rsp);
	/* Back in the kernel for good: its page tables and selectors. */
	CHECK_EQ("kernel cr3", cr3, cr3_mfn());
	CHECK_EQ("cs", FLAT_KERNEL_CS, read_cs());
	CHECK_EQ("ss", FLAT_KERNEL_SS, read_ss());
	/* And user mode can be entered again. */
	user_run(user_prog_exit, 99, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("second exit value", 100, r.value);
	teardown(&us);
}

/* syscall -> callback -> iret back to user, with the callee-saved registers intact. */
TEST(user, syscall_bounce)
{
	struct user_space us;
	struct user_run r;

	if (!setup(&us))
		return;
	user_run(user_prog_echo, 20, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("echo result", 41, r.value);
	CHECK_EQ("rbx, r12, r15 survived", 1, r.aux);
	CHECK_EQ("system calls answered", 1, r.syscalls);
	teardown(&us);
}

TEST(user, data_page)
{
	struct user_space us;
	struct user_run r;

	if (!setup(&us))
		return;
	us.data_va[0] = 0x0123456789abcdefUL;
	user_run(user_prog_read, USER_DATA_VA, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("user read the kernel's word", 0x0123456789abcdefUL, r.value);
	user_run(user_prog_write, USER_DATA_VA + 8, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("the kernel sees the user's word", 0x600d, us.data_va[1]);
	teardown(&us);
}

/* The user L4 holds only what we put there: the kernel is not mapped. */
TEST(user, kernel_not_reachable)
{
	struct user_space us;
	struct user_run r;

	if (!setup(&us))
		return;
	user_run(user_prog_read, VIRT_BASE, RFLAGS_BASE, &r);
	CHECK_TRAPPED(r, 14);
	CHECK_EQ("error code (user, read, not present)", PF_USER, r.error_code);
	CHECK_EQ("cr2", VIRT_BASE, r.cr2);
	CHECK_EQ("rip", user_va(user_prog_read), r.rip);
	CHECK_EQ("frame cs is the user's (RPL 3)", FLAT_USER_CS, r.cs & 0xffff);
	user_run(user_prog_read, (uint64_t)start_info, RFLAGS_BASE, &r);
	CHECK_TRAPPED(r, 14);
	CHECK_EQ("cr2 (start_info)", (uint64_t)start_info, r.cr2);
	teardown(&us);
}

/*
 * Without m2p_strict the read-only M2P enters an L4 only when it becomes
 * a kernel base pointer; a user-only L4 does not show it.
 */
TEST(user, m2p_not_in_user_l4)
{
	struct user_space us;
	struct user_run r;
	uint64_t m2p_va = (uint64_t)&M2P[p2m[0]];

	if (!setup(&us))
		return;
	user_run(user_prog_read, m2p_va, RFLAGS_BASE, &r);
	CHECK_TRAPPED(r, 14);
	CHECK_EQ("error code (user, read, not present)", PF_USER, r.error_code);
	CHECK_EQ("cr2", m2p_va, r.cr2);
	teardown(&us);
}

/* The hypervisor's own range: present perhaps, but never for the guest. */
TEST(user, hypervisor_not_reachable)
{
	struct user_space us;
	struct user_run r;

	if (!setup(&us))
		return;
	user_run(user_prog_read, (uint64_t)BAD_PTR_HV, RFLAGS_BASE, &r);
	CHECK_TRAPPED(r, 14);
	CHECK(r.error_code & PF_USER, "error code %#lx lacks the user bit", r.error_code);
	CHECK_EQ("cr2", (uint64_t)BAD_PTR_HV, r.cr2);
	teardown(&us);
}

TEST(user, write_read_only_page)
{
	struct user_space us;
	struct user_run r;

	if (!setup(&us))
		return;
	user_run(user_prog_write, USER_CODE_VA, RFLAGS_BASE, &r);
	CHECK_TRAPPED(r, 14);
	CHECK_EQ("error code (user, write, present)", PF_USER | PF_WRITE | PF_PRESENT, r.error_code);
	CHECK_EQ("cr2", USER_CODE_VA, r.cr2);
	teardown(&us);
}

/* What the guest kernel may do (emulated), user mode may not: #GP(0) to the kernel. */
TEST(user, privileged_instruction)
{
	struct user_space us;
	struct user_run r;

	if (!setup(&us))
		return;
	user_run(user_prog_priv, 0, RFLAGS_BASE, &r);
	CHECK_TRAPPED(r, 13);
	CHECK_EQ("error code", 0, r.error_code);
	CHECK_EQ("rip of mov %cr0", user_va(user_prog_priv_insn), r.rip);
	CHECK_EQ("frame cs RPL", 3, r.cs & 3);
	teardown(&us);
}

TEST(user, int80)
{
	struct user_space us;
	struct user_run r;

	if (!setup(&us))
		return;
	user_run(user_prog_int80, 0, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("int $0x80 deliveries", 1, r.int80s);
	CHECK_EQ("rax after the kernel's answer", 107, r.value);
	teardown(&us);
}

TEST(user, int3)
{
	struct user_space us;
	struct user_run r;

	if (!setup(&us))
		return;
	user_run(user_prog_int3, 0, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("int3 deliveries", 1, r.int3s);
	CHECK_EQ("exit value", 3, r.value);
	teardown(&us);
}

/*
 * CALLBACKF_mask_events on the syscall callback: with it, events are
 * masked on entry; without, the user's (unmasked) state carries over.
 * Either way the frame records the mask user mode ran with.
 */
TEST(user, syscall_mask_events)
{
	struct user_space us;
	struct user_run r;

	if (!vcpu0)
		SKIP("shared_info not mapped");
	if (!setup(&us))
		return;
	user_run(user_prog_echo, 1, RFLAGS_BASE | RFLAGS_IF, &r);
	CHECK_EXITED(r);
	CHECK_EQ("mask in the callback (mask_events)", 1, r.sys_upcall_mask);
	CHECK_EQ("saved mask in the frame", 0, (r.sys_cs >> 32) & 0xff);
	CHECK_EQ("frame rflags.IF", RFLAGS_IF, r.sys_rflags & RFLAGS_IF);
	CHECK_RC("syscall callback without mask_events", 0, user_syscall_callback(false, false));
	user_run(user_prog_echo, 1, RFLAGS_BASE | RFLAGS_IF, &r);
	CHECK_EXITED(r);
	CHECK_EQ("mask in the callback (no mask_events)", 0, r.sys_upcall_mask);
	/* User mode with events masked stays masked in the callback. */
	user_run(user_prog_echo, 1, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("mask in the callback (user masked)", 1, r.sys_upcall_mask);
	CHECK_EQ("saved mask in the frame (user masked)", 1, (r.sys_cs >> 32) & 0xff);
	teardown(&us);
}

/* No syscall callback: the syscall instruction raises #UD in user mode. */
TEST(user, syscall_without_callback)
{
	struct user_space us;
	struct user_run r;

	if (!setup(&us))
		return;
	CHECK_RC("syscall callback at address 0", 0, user_syscall_callback(true, true));
	user_run(user_prog_exit, 0, RFLAGS_BASE, &r);
	CHECK_TRAPPED(r, 6);
	CHECK_EQ("rip of the syscall instruction", user_va(user_prog_exit_syscall), r.rip);
	CHECK_EQ("frame cs RPL", 3, r.cs & 3);
	teardown(&us);
}

/* FS base is shared; GS bases swap between kernel and user mode. */
TEST(user, segment_bases)
{
	static volatile uint64_t kernel_gs_word = 0x6b6b6b6b;
	struct user_space us;
	struct user_run r;
	uint64_t kgs = 0, shadow = 0;

	if (!setup(&us))
		return;
	us.data_va[0] = 0x1111;
	us.data_va[1] = 0x2222;
	CHECK_RC("user GS base", 0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, USER_DATA_VA));
	CHECK_RC("FS base", 0, HYPERVISOR_set_segment_base(SEGBASE_FS, USER_DATA_VA + 8));
	CHECK_RC("kernel GS base", 0, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, (uint64_t)&kernel_gs_word));
	user_run(user_prog_segs, 0, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("%gs:0 in user mode", 0x1111, r.value);
	CHECK_EQ("%fs:0 in user mode", 0x2222, r.aux);
	__asm__ __volatile__("mov %%gs:0, %0" : "=r"(kgs) :: "memory");
	CHECK_EQ("%gs:0 back in the kernel", 0x6b6b6b6b, kgs);
	if (probe_rdmsr(0xc0000102, &shadow))
		CHECK_EQ("the inactive (user) GS base", USER_DATA_VA, shadow);
	CHECK_RC("user GS base 0", 0, HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0));
	CHECK_RC("FS base 0", 0, HYPERVISOR_set_segment_base(SEGBASE_FS, 0));
	CHECK_RC("kernel GS base 0", 0, HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0));
	teardown(&us);
}

/*
 * Xen 4.17 does not check the trap entry's DPL for int $0x80 (its fast
 * path only looks for a handler) nor for int3 (the hardware gate is DPL
 * 3 and the #BP is injected as an exception): both reach the guest
 * kernel from user mode even through DPL-0 entries.
 */
TEST(user, soft_trap_dpl_not_checked)
{
	extern char trap_entry_128[];
	struct trap_info t[3] = {
		{ .vector = 0x80, .flags = 0, .cs = FLAT_KERNEL_CS, .address = (uint64_t)trap_entry_128 },
		{ .vector = 3, .flags = 0, .cs = FLAT_KERNEL_CS, .address = guest_trap_table[3].address },
		{ .address = 0 },
	};
	struct user_space us;
	struct user_run r;

	if (!setup(&us))
		return;
	CHECK_RC("DPL-0 entries for 0x80 and 3", 0, HYPERVISOR_set_trap_table(t));
	user_run(user_prog_int80, 0, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("int $0x80 deliveries", 1, r.int80s);
	CHECK_EQ("rax after the kernel's answer", 107, r.value);
	user_run(user_prog_int3, 0, RFLAGS_BASE, &r);
	CHECK_EXITED(r);
	CHECK_EQ("int3 deliveries", 1, r.int3s);
	teardown(&us);
}
