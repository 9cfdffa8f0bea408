/*
 * The in-guest ABI test framework.
 *
 * A test is a function registered with TEST(group, name); it is reported
 * as "group.name". Checks inside it record the worst status seen (PASS <
 * SKIP < FAIL, as in XTF's report.c): a test that failed stays failed even
 * if it later skips. Each test prints exactly one line:
 *   PASS name
 *   SKIP name: why
 *   FAIL name: expected X got Y   (the first failing check; "+N more")
 * and the run ends with "guest-pv: N passed, N failed".
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <guest/lib.h>

struct test {
	const char *name;
	void (*fn)(void);
};

#define TEST(group, nm)                                                         \
	static void test_##group##_##nm(void);                                  \
	static const struct test test_desc_##group##_##nm                       \
		__attribute__((used, section(".tests"), aligned(8))) =          \
		{ #group "." #nm, test_##group##_##nm };                        \
	static void test_##group##_##nm(void)

/* Run every test whose name matches one of the comma-separated globs. */
void tests_run(const char *filter);

void test_fail(const char *fmt, ...) __printf(1, 2);
void test_skip(const char *fmt, ...) __printf(1, 2);
/* Symbolic name of a hypercall result: "-EINVAL" for -22, else the number. */
const char *rc_str(long rc);

/* Equality of hypercall results (printed with errno names). */
#define CHECK_RC(what, expected, got) do {                                      \
	long chk_e_ = (long)(expected), chk_g_ = (long)(got);                   \
	if (chk_e_ != chk_g_)                                                   \
		test_fail("%s: expected %s got %s", (what), rc_str(chk_e_),     \
			  rc_str(chk_g_));                                      \
} while (0)

/* Equality of plain values (printed in hex). */
#define CHECK_EQ(what, expected, got) do {                                      \
	unsigned long chk_e_ = (unsigned long)(expected);                       \
	unsigned long chk_g_ = (unsigned long)(got);                            \
	if (chk_e_ != chk_g_)                                                   \
		test_fail("%s: expected %#lx got %#lx", (what), chk_e_, chk_g_);\
} while (0)

#define CHECK(cond, ...) do {                                                   \
	if (!(cond))                                                            \
		test_fail(__VA_ARGS__);                                         \
} while (0)

/* Skip the rest of the test. */
#define SKIP(...) do { test_skip(__VA_ARGS__); return; } while (0)

/* Skip unless the command line names this hypervisor (target=xen|hv). */
#define ONLY_ON(hyp, why) do {                                                  \
	const char *only_t_ = target_hypervisor();                              \
	if (!only_t_ || strcmp(only_t_, (hyp)))                                 \
		SKIP("only meaningful on %s: %s", (hyp), (why));                \
} while (0)

/* Pointers no guest may hand to a hypercall. */
#define BAD_PTR_UNMAPPED    ((void *)0x10UL)                    /* nothing mapped at 0 */
#define BAD_PTR_HV          ((void *)0xffff830000000000UL)      /* the hypervisor's own range */
#define BAD_PTR_NONCANON    ((void *)0x8000000000000000UL)      /* not canonical */

#endif /* GUEST_TEST_H */
