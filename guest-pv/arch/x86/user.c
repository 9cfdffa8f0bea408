/*
 * Guest user mode (see guest/user.h): the user address space, running a
 * user program, and the kernel side of its system calls and exceptions.
 */
#include <guest/arch.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <guest/mm.h>
#include <guest/user.h>
#include <public/callback.h>
#include <public/errno.h>

extern char user_page_start[], user_page_end[];
extern char event_callback_entry[], failsafe_callback_entry[], syscall_callback_entry[];
extern char trap_entry_128[];

void user_enter(uint64_t rip, uint64_t rsp, uint64_t arg, uint64_t rflags, uint64_t cs);
void __noreturn user_leave(void);

/* The kernel stack the hypervisor switches to on every entry from user mode. */
static uint8_t user_entry_stack[16384] __aligned(16);

/* The run in progress, if any. */
static struct user_run *current_run;

uint64_t user_va(const void *prog)
{
	return USER_CODE_VA + (uint64_t)((const char *)prog - user_page_start);
}

long user_syscall_callback(bool mask_events, bool none)
{
	struct callback_register r = {
		.type = CALLBACKTYPE_syscall,
		.flags = mask_events ? CALLBACKF_mask_events : 0,
		.address = none ? 0 : (uint64_t)syscall_callback_entry,
	};

	return HYPERVISOR_callback_op(CALLBACKOP_register, &r);
}

static long register_callbacks(void)
{
	struct callback_register ev = {
		.type = CALLBACKTYPE_event, .address = (uint64_t)event_callback_entry,
	};
	struct callback_register fs = {
		.type = CALLBACKTYPE_failsafe, .flags = CALLBACKF_mask_events,
		.address = (uint64_t)failsafe_callback_entry,
	};
	/* int $0x80 may be used from user mode (DPL 3). */
	struct trap_info int80[2] = {
		{ .vector = 0x80, .flags = 3, .cs = FLAT_KERNEL_CS, .address = (uint64_t)trap_entry_128 },
		{ .address = 0 },
	};
	long rc;

	if ((rc = HYPERVISOR_callback_op(CALLBACKOP_register, &ev)) ||
	    (rc = HYPERVISOR_callback_op(CALLBACKOP_register, &fs)) ||
	    (rc = user_syscall_callback(true, false)) ||
	    (rc = HYPERVISOR_set_trap_table(int80)))
		return rc;
	return HYPERVISOR_stack_switch(FLAT_KERNEL_SS, (unsigned long)(user_entry_stack + sizeof(user_entry_stack)));
}

/* Write entry idx of a pool frame that is not yet a page table. */
static long table_set(uint64_t mfn, unsigned int idx, uint64_t val)
{
	long rc = frame_map_rw(mfn);

	if (rc)
		return rc;
	((volatile uint64_t *)frame_home(mfn))[idx] = val;
	return frame_unmap(mfn);
}

long user_space_create(struct user_space *us)
{
	uint64_t code = virt_to_mfn(user_page_start);
	uint64_t table = PTE_P | PTE_RW | PTE_US | PTE_A;
	long rc;

	memset(us, 0, sizeof(*us));
	us->l4 = frame_alloc();
	us->l3 = frame_alloc();
	us->l2 = frame_alloc();
	us->l1 = frame_alloc();
	us->data = frame_alloc();
	us->stack = frame_alloc();
	if (!us->l4 || !us->l3 || !us->l2 || !us->l1 || !us->data || !us->stack)
		return -XEN_ENOMEM;
	/* The tables are filled while they are still plain frames, then typed in one pin. */
	if ((rc = table_set(us->l1, pt_index(USER_CODE_VA, 1), pte_make(code, PTE_RO_FLAGS))) ||
	    (rc = table_set(us->l1, pt_index(USER_DATA_VA, 1), pte_make(us->data, PTE_RW_FLAGS))) ||
	    (rc = table_set(us->l1, pt_index(USER_STACK_VA, 1), pte_make(us->stack, PTE_RW_FLAGS))) ||
	    (rc = table_set(us->l2, pt_index(USER_CODE_VA, 2), pte_make(us->l1, table))) ||
	    (rc = table_set(us->l3, pt_index(USER_CODE_VA, 3), pte_make(us->l2, table))) ||
	    (rc = table_set(us->l4, pt_index(USER_CODE_VA, 4), pte_make(us->l3, table))))
		return rc;
	if ((rc = frame_map_rw(us->data)))
		return rc;
	us->data_va = frame_home(us->data);
	if ((rc = pin_table(4, us->l4)))
		return rc;
	if ((rc = mmuext(MMUEXT_NEW_USER_BASEPTR, us->l4, 0)))
		return rc;
	return register_callbacks();
}

bool user_space_destroy(struct user_space *us)
{
	bool ok = true;

	mmuext(MMUEXT_NEW_USER_BASEPTR, 0, 0);
	if (us->l4)
		unpin_table(us->l4);
	/* Back to the suite's own trap table (without the int $0x80 entry). */
	HYPERVISOR_set_trap_table(NULL);
	HYPERVISOR_set_trap_table(guest_trap_table);
	user_syscall_callback(true, false);
	for (uint64_t *f = &us->l4; f <= &us->stack; f++)
		if (*f && !frame_free(*f))
			ok = false;
	return ok;
}

void user_run(const void *prog, uint64_t arg, uint64_t rflags, struct user_run *r)
{
	user_run_cs(prog, arg, rflags, FLAT_USER_CS, r);
}

void user_run_cs(const void *prog, uint64_t arg, uint64_t rflags, uint64_t cs, struct user_run *r)
{
	memset(r, 0, sizeof(*r));
	r->how = USER_RUNNING;
	current_run = r;
	user_enter(user_va(prog), USER_STACK_TOP, arg, rflags, cs);
	current_run = NULL;
	/* The suite runs with events masked, whatever user mode left. */
	if (vcpu0)
		vcpu0->evtchn_upcall_mask = 1;
}

bool user_trap(struct trap_frame *f)
{
	struct user_run *r = current_run;

	if (!r || (f->vector != VEC_SYSCALL && (f->cs & 3) != 3))
		return false;

	if (f->vector == VEC_SYSCALL) {
		r->sys_rip = f->rip;
		r->sys_rsp = f->rsp;
		r->sys_rflags = f->rflags;
		r->sys_cs = f->cs;
		r->sys_upcall_mask = vcpu0 ? vcpu0->evtchn_upcall_mask : 0xff;
		switch (f->rax) {
		case USYS_EXIT:
			r->how = USER_EXITED;
			r->value = f->rdi;
			r->aux = f->rsi;
			user_leave();
		case USYS_ECHO:
			f->rax = f->rdi * 2 + 1;
			break;
		case USYS_NOP:
			break;
		default:
			f->rax = (uint64_t)-XEN_ENOSYS;
			break;
		}
		r->syscalls++;
		/* As Linux does: the frame's selectors are not meaningful, set them. */
		f->cs = FLAT_USER_CS;
		f->ss = FLAT_USER_SS;
		return true;
	}
	if (f->vector == 3) {
		r->int3s++;
		return true;
	}
	if (f->vector == 0x80) {
		r->int80s++;
		f->rax += 100;
		return true;
	}
	r->how = USER_TRAPPED;
	r->vector = (unsigned int)f->vector;
	r->error_code = f->error_code;
	r->rip = f->rip;
	r->cs = f->cs;
	r->cr2 = (f->vector == 14 && vcpu0) ? vcpu0->arch.cr2 : 0;
	user_leave();
}
