/*
 * mode=gdt_race (a domU with two vCPUs, hv's domu=N:vcpus=2): take a GDT
 * descriptor away from under a vCPU that runs on it, so that the
 * hypervisor's own return to that vCPU is what faults.
 *
 * vCPU 0 installs a GDT whose entry 2 is a 64-bit user code segment,
 * enters user mode on it (CS 0x13, checked and accepted by the iret
 * hypercall) and spins there with events masked, making no hypercall.
 * vCPU 1, brought up with VCPUOP_initialise and VCPUOP_up, waits for the
 * user program's mark, makes entry 2 not present with update_descriptor
 * (into vCPU 0's live GDT frame, which the ABI allows) and takes itself
 * down. When vCPU 0 is next scheduled, the hypervisor's iretq to
 * 0013:<rip> raises #NP(0x10) in the hypervisor itself.
 *
 * Xen treats that fault as the guest's: vCPU 0 gets #NP with error code
 * 0x10 at its user context, which this mode reports and checks. With
 * handler=0 vector 11 has no handler, so the hypervisor must crash this
 * domain alone; the other domains run on.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <guest/mm.h>
#include <guest/user.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define RACE_ENTRY      2
#define RACE_CS         ((RACE_ENTRY << 3) | 3)
#define DESC_CODE64_DPL3 0x00affa000000ffffUL
#define DESC_PRESENT    (1UL << 47)

static uint8_t vcpu1_stack[8192] __aligned(16);
static struct vcpu_guest_context vcpu1_ctx;
static volatile uint64_t *race_mark;
static uint64_t race_desc_maddr;

/* vCPU 1: wait until vCPU 0 runs in user mode on the entry, then remove it. */
static void __noreturn vcpu1_main(void)
{
	long rc;

	while (!*race_mark)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	rc = HYPERVISOR_update_descriptor(race_desc_maddr, DESC_CODE64_DPL3 & ~DESC_PRESENT);
	printf("guest-pv: gdt_race: vCPU 1 made GDT entry %u not present under vCPU 0 (rc %ld)\n",
	       RACE_ENTRY, rc);
	HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL);
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static long start_vcpu1(void)
{
	struct vcpu_guest_context *c = &vcpu1_ctx;
	uint64_t top = (uint64_t)(vcpu1_stack + sizeof(vcpu1_stack));
	long rc;

	memset(c, 0, sizeof(*c));
	c->flags = VGCF_in_kernel;
	c->user_regs.rip = (uint64_t)vcpu1_main;
	c->user_regs.rsp = top - 8;		/* as after a call */
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->user_regs.rflags = 0x202;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = top - 8;
	c->ctrlreg[3] = cr3_mfn() << PAGE_SHIFT;
	for (unsigned int v = 0; v < 32; v++)
		c->trap_ctxt[v] = guest_trap_table[v];
	rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, c);
	if (rc)
		return rc;
	return HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL);
}

/* Our trap table without a handler for #NP. */
static long drop_np_handler(void)
{
	static struct trap_info t[33];
	unsigned int n = 0;
	long rc = HYPERVISOR_set_trap_table(NULL);

	for (unsigned int v = 0; v < 32; v++)
		if (v != 11)
			t[n++] = guest_trap_table[v];
	t[n].address = 0;
	return rc ? rc : HYPERVISOR_set_trap_table(t);
}

void gdt_race_run(void)
{
	char handler[4] = "1";
	uint64_t descs[4] = { 0, 0, DESC_CODE64_DPL3, 0 };
	unsigned long frames[1];
	struct user_space us;
	struct user_run r;
	uint64_t gdt;
	long rc;

	cmdline_get("handler", handler, sizeof(handler));
	gdt = frame_alloc();
	if (!gdt || frame_map_rw(gdt))
		panic("gdt_race: no frame for the GDT");
	memcpy(frame_home(gdt), descs, sizeof(descs));
	if (frame_unmap(gdt))
		panic("gdt_race: cannot unmap the GDT frame");
	frames[0] = gdt;
	if ((rc = HYPERVISOR_set_gdt(frames, 16)))
		panic("gdt_race: set_gdt: %ld", rc);
	if ((rc = user_space_create(&us)))
		panic("gdt_race: user space: %ld", rc);
	if (!strcmp(handler, "0") && (rc = drop_np_handler()))
		panic("gdt_race: trap table without #NP: %ld", rc);
	race_mark = &us.data_va[0];
	*race_mark = 0;
	race_desc_maddr = (gdt << PAGE_SHIFT) + RACE_ENTRY * 8;
	if ((rc = start_vcpu1()))
		panic("gdt_race: bringing up vCPU 1: %ld", rc);
	printf("guest-pv: gdt_race: vCPU 0 enters user mode on cs %#x (#NP handler: %s)\n", RACE_CS,
	       strcmp(handler, "0") ? "yes" : "none");
	/* Events masked in user mode: nothing but the iretq itself can end the run. */
	user_run_cs(user_prog_mark_spin, USER_DATA_VA, 0x2, RACE_CS, &r);
	if (r.how != USER_TRAPPED)
		panic("gdt_race: the user run ended without a trap (how %d)", r.how);
	printf("guest-pv: gdt_race: vector %u, error code %#lx at %04lx:%lx: %s\n", r.vector,
	       r.error_code, r.cs & 0xffff, r.rip,
	       r.vector == 11 && r.error_code == (RACE_ENTRY << 3) && (r.cs & 0xffff) == RACE_CS &&
	       r.rip >= user_va(user_prog_mark_spin) && r.rip < user_va(user_prog_mark_spin) + 16
	       ? "the faulting return was delivered as #NP at the user context"
	       : "WRONG: expected #NP, error code 0x10, at the user program");
}
