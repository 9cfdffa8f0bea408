/*
 * guest-pv's small C library: strings, formatted output, the console,
 * the command line, and the ways out (shutdown, panic).
 */
#ifndef GUEST_LIB_H
#define GUEST_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define __noreturn      __attribute__((noreturn))
#define __printf(f, a)  __attribute__((format(printf, f, a)))
#define __used          __attribute__((used))
#define __aligned(n)    __attribute__((aligned(n)))

/* string.c */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);
bool glob_match(const char *pat, const char *str);
unsigned long strtoul(const char *s, const char **end, int base);

/* printf.c */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int printf(const char *fmt, ...) __printf(1, 2);

/* console.c */
void console_init(const struct start_info *si);
void console_write(const char *s, size_t len);

/* main.c: boot state. */
extern const struct start_info *start_info;
extern struct shared_info *shared_info;     /* NULL if it could not be mapped */
extern const uint64_t *p2m;                 /* start_info->mfn_list */
bool is_initial_domain(void);
/* The value of `key=` on the command line, copied into buf; false if absent. */
bool cmdline_get(const char *key, char *buf, size_t size);

/* Which hypervisor the command line says we run on: "xen", "hv" or NULL. */
const char *target_hypervisor(void);

/* bench.c */
void bench_run(void);
void sort_u64(uint64_t *v, size_t n);
/* Several-domain modes (kernel/domains.c). */
void pong_run(void);
void ping_run(void);
void __noreturn spin_run(void);
void sleep_run(void);
void hammer_run(void);
/* System time in ns, from our vcpu_info (0 if shared_info is not mapped). */
uint64_t now_ns(void);
void ctlhammer_run(void);
void echo_run(void);
/* Huge mmu_update/mmuext_op/set_trap_table calls, forever (kernel/batch_hammer.c). */
void __noreturn batch_hammer_run(void);
/* A domU's second vCPU changes the GDT under its first (kernel/gdt_race.c). */
void gdt_race_run(void);
/* Data selectors kept across switches, the failsafe callback (kernel/selectors.c). */
void selectors_run(void);
/* Isolation: a domU attacking, dom0 guarding its memory (kernel/attack.c). */
void attack_run(void);
void guard_run(void);

/* panic.c */
void __noreturn shutdown(unsigned int reason);
void __noreturn panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(c) do { if (c) panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); } while (0)

#endif /* GUEST_LIB_H */
