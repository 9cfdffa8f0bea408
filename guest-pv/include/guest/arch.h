/*
 * x86_64 PV helpers: the exception frame, the fault-fixup table, the
 * time-stamp counter and CPUID through the forced-emulation prefix.
 */
#ifndef GUEST_ARCH_H
#define GUEST_ARCH_H

#include <stdint.h>
#include <stdbool.h>
#include <public/xen.h>

#define PAGE_SIZE   4096UL
#define PAGE_SHIFT  12
#define VIRT_BASE   0xffffffff80000000UL

/* Pseudo vectors for callbacks that share the exception path. */
#define VEC_EVENT       256
#define VEC_FAILSAFE    257
#define VEC_SYSCALL     258

/* What trap_common leaves on the stack (lowest address first). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;
	/* The bounce frame proper. */
	uint64_t rip;
	uint64_t cs;            /* bits 32-39: upcall mask before delivery */
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};

/*
 * Fault fixups: an instruction that may fault on purpose is listed with
 * the address to resume at. Used through the probe helpers in traps.c.
 */
struct ex_entry {
	uint64_t fault_rip;
	uint64_t fixup_rip;
};

#define EX_TABLE(fault, fixup) \
	".pushsection .ex_table, \"a\"\n\t.p2align 3\n\t.quad " #fault ", " #fixup "\n\t.popsection\n\t"

/* The last exception delivered, for tests that provoke one. */
struct trap_record {
	unsigned int count;     /* exceptions seen since trap_record_reset() */
	unsigned int vector;
	uint64_t error_code;
	uint64_t rip;
	uint64_t cs;
	uint64_t rflags;
	uint64_t cr2;           /* from vcpu_info.arch.cr2, if shared_info is mapped */
};
extern volatile struct trap_record last_trap;
/* ds, es, fs, gs of the last failsafe callback's frame. */
extern volatile uint64_t failsafe_selectors[4];
void trap_record_reset(void);
/*
 * Vectors a test expects: the handler records them and resumes (at a fixup
 * if one is listed). VEC_FAILSAFE may be expected too: the failsafe
 * callback then resumes where the hypervisor was returning to.
 */
void trap_expect(unsigned int vector);
void trap_expect_none(void);

void traps_init(void);
extern struct trap_info guest_trap_table[];
void trap_handler(struct trap_frame *f);

/* Read or write 8 bytes at addr; false if that faulted (the fault is recorded). */
bool probe_read_u64(const volatile uint64_t *addr, uint64_t *val);
bool probe_write_u64(volatile uint64_t *addr, uint64_t val);
/* rdmsr; false if it faulted. */
bool probe_rdmsr(uint32_t msr, uint64_t *val);
/* The atomic forms Linux applies to page-table entries; false if they faulted. */
bool probe_write_u32(volatile uint32_t *addr, uint32_t val);
bool probe_xchg_u64(volatile uint64_t *addr, uint64_t val, uint64_t *old);
/* lock cmpxchg: *expected gets what memory held (equal to it on success). */
bool probe_cmpxchg_u64(volatile uint64_t *addr, uint64_t *expected, uint64_t val);
bool probe_lock_and_u8(volatile uint8_t *addr, uint8_t mask);
bool probe_lock_btr_u64(volatile uint64_t *addr, uint64_t bit);
/* Load a data segment register; false if the selector faulted (#GP, #NP). */
bool probe_load_ds(uint16_t sel);
bool probe_load_es(uint16_t sel);
bool probe_load_fs(uint16_t sel);

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* CPUID as the hypervisor shows it to PV guests (ud2; "xen"; cpuid). */
static inline void pv_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
			    uint32_t *c, uint32_t *d)
{
	__asm__ __volatile__(".byte 0x0f,0x0b,0x78,0x65,0x6e; cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "0"(leaf), "2"(sub));
}

static inline uint16_t read_cs(void)
{
	uint16_t cs;
	__asm__ __volatile__("mov %%cs, %0" : "=r"(cs));
	return cs;
}

static inline uint16_t read_ss(void)
{
	uint16_t ss;
	__asm__ __volatile__("mov %%ss, %0" : "=r"(ss));
	return ss;
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline int is_canonical(uint64_t va)
{
	return (uint64_t)(((int64_t)va << 16) >> 16) == va;
}

#endif /* GUEST_ARCH_H */
