/*
 * Host harness for the hypervisor's pure code: the real sources are
 * compiled unchanged; this provides what they expect from the rest of hv
 * (printk, panic) and lets tests inspect what was printed.
 */
#ifndef HV_TEST_HARNESS_H
#define HV_TEST_HARNESS_H

#include <check.h>
#include <stdbool.h>

/* Everything printk'd since the last log_clear(), levels stripped. */
const char *log_text(void);
void log_clear(void);
bool log_contains(const char *needle);
/* Number of times panic() was called (it returns to the test via longjmp). */
extern int panic_count;

Suite *multiboot2_suite(void);
Suite *frame_alloc_suite(void);
Suite *heap_suite(void);
Suite *cmdline_suite(void);
Suite *dom0_sizing_suite(void);
Suite *vsnprintf_suite(void);
Suite *page_types_suite(void);
Suite *xz_suite(void);
Suite *bzimage_suite(void);
Suite *string_suite(void);
Suite *io_permission_suite(void);

#endif
