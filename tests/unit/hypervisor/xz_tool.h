/*
 * The host's xz(1) as a test oracle and fixture maker: compress a buffer
 * with given command-line options, and small deterministic data sets.
 */
#ifndef HV_TEST_XZ_TOOL_H
#define HV_TEST_XZ_TOOL_H

#include <stddef.h>
#include <stdint.h>

/* `xz -c <opts>` of data[0, n); a malloc'd buffer (its size in *out_n). Aborts the test on failure. */
uint8_t *xz_tool_compress(const void *data, size_t n, const char *opts, size_t *out_n);
/* `gzip -c` likewise. */
uint8_t *xz_tool_gzip(const void *data, size_t n, size_t *out_n);

/* Deterministic test data, malloc'd (n may be 0). */
uint8_t *data_text(size_t n, uint32_t seed);	/* words: matches, literals */
uint8_t *data_random(size_t n, uint32_t seed);	/* incompressible */
uint8_t *data_runs(size_t n);			/* long runs and short periods */
uint8_t *data_x86(size_t n);			/* this program's own code */
uint8_t *data_branches(size_t n, uint32_t seed);	/* dense E8/E9 and 00/FF: BCJ corners */

#endif
