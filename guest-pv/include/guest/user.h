/*
 * Guest user mode: a user address space of its own (a separate L4 with
 * nothing of the kernel in it), small user programs, and the ways back
 * into the guest kernel (pv-abi.md §6.2-6.6).
 *
 * The user L4 maps three pages:
 *   USER_CODE_VA   the page of user programs (.text.user), read-only
 *   USER_DATA_VA   a data page, also mapped read-write in the kernel
 *   USER_STACK_VA  the user stack (one page, top at USER_STACK_TOP)
 *
 * user_run() enters a program with the iret hypercall (CS FLAT_USER_CS,
 * RPL 3) and returns when the program ends: by the USYS_EXIT system call
 * or by an exception the kernel does not resume from. Other system calls,
 * int3 and int $0x80 are answered and the program continues in user mode
 * (the kernel returns with iret).
 */
#ifndef GUEST_USER_H
#define GUEST_USER_H

#define USER_CODE_VA    0x400000UL
#define USER_DATA_VA    0x401000UL
#define USER_STACK_VA   0x402000UL
#define USER_STACK_TOP  0x403000UL

/* System calls of the user programs: number in rax, arguments in rdi, rsi. */
#define USYS_EXIT   0   /* end the run: value = rdi, aux = rsi */
#define USYS_ECHO   1   /* returns rdi * 2 + 1 */
#define USYS_NOP    2   /* returns at once */

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

enum user_end {
	USER_RUNNING,
	USER_EXITED,    /* USYS_EXIT */
	USER_TRAPPED,   /* an exception ended the run */
};

struct user_run {
	enum user_end how;
	uint64_t value, aux;                /* USYS_EXIT's rdi and rsi */
	/* USER_TRAPPED: the exception, as the bounce frame told it. */
	unsigned int vector;
	uint64_t error_code, rip, cs, cr2;
	/* Bounces the kernel answered with a return to user mode. */
	unsigned int syscalls, int3s, int80s;
	/* The last system call's bounce frame, and the upcall mask in the callback. */
	uint64_t sys_rip, sys_rsp, sys_rflags, sys_cs;
	unsigned int sys_upcall_mask;
};

struct user_space {
	uint64_t l4, l3, l2, l1;            /* the user page tables */
	uint64_t data, stack;               /* their two data frames */
	volatile uint64_t *data_va;         /* the data page in the kernel's view */
};

/*
 * Build the user tables from pool frames, pin the L4, install it with
 * NEW_USER_BASEPTR, and register what user mode needs: the kernel stack
 * for entries from user mode, the event and syscall callbacks, and a
 * DPL-3 trap entry for int $0x80. Returns 0 or the first failing result.
 */
long user_space_create(struct user_space *us);
/* Undo it all; false if a frame could not be given back (a leak). */
bool user_space_destroy(struct user_space *us);

/* Where a program of the user page runs, in the user address space. */
uint64_t user_va(const void *prog);

/*
 * Run prog in user mode with rdi = arg and the given rflags (IF set means
 * events are unmasked while in user mode). Fills *r.
 */
void user_run(const void *prog, uint64_t arg, uint64_t rflags, struct user_run *r);
/* The same on another user code selector (RPL 3), e.g. one of our own GDT. */
void user_run_cs(const void *prog, uint64_t arg, uint64_t rflags, uint64_t cs, struct user_run *r);

/* Register the syscall callback: mask events on entry or not; address 0 if none. */
long user_syscall_callback(bool mask_events, bool none);

/* Called first by trap_handler: true if the trap belonged to a user run. */
struct trap_frame;
bool user_trap(struct trap_frame *f);

/* The user programs (arch/x86/user_entry.S), all in the one user page. */
extern const char user_prog_exit[], user_prog_exit_syscall[], user_prog_echo[],
	user_prog_read[], user_prog_write[], user_prog_priv[], user_prog_priv_insn[],
	user_prog_int80[], user_prog_int3[], user_prog_segs[], user_prog_loop[],
	user_prog_mark_spin[];

#endif /* __ASSEMBLY__ */
#endif /* GUEST_USER_H */
