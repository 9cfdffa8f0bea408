/* Running xz(1) and gzip(1) on buffers, and test data (see xz_tool.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xz_tool.h"

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0, got;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	fclose(f);
	*n = len;
	return buf;
}

static uint8_t *run_filter(const void *data, size_t n, const char *cmd_fmt, const char *opts,
			   size_t *out_n)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char in_path[256], out_path[300], cmd[1024];
	uint8_t *out;
	FILE *f;
	int fd;

	snprintf(in_path, sizeof(in_path), "%s/hv-xz-test.XXXXXX", tmp);
	fd = mkstemp(in_path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	fclose(f);
	snprintf(out_path, sizeof(out_path), "%s.out", in_path);
	snprintf(cmd, sizeof(cmd), cmd_fmt, opts, in_path, out_path);
	ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
	out = slurp(out_path, out_n);
	unlink(in_path);
	unlink(out_path);
	return out;
}

uint8_t *xz_tool_compress(const void *data, size_t n, const char *opts, size_t *out_n)
{
	return run_filter(data, n, "xz -c -q -T1 %s <%s >%s", opts, out_n);
}

uint8_t *xz_tool_gzip(const void *data, size_t n, size_t *out_n)
{
	return run_filter(data, n, "gzip -c -n %s <%s >%s", "", out_n);
}

static uint32_t next(uint32_t *s)
{
	/* xorshift32 */
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static uint8_t *alloc_data(size_t n)
{
	uint8_t *p = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(p);
	return p;
}

uint8_t *data_text(size_t n, uint32_t seed)
{
	static const char *const words[] = {
		"hypervisor ", "domain ", "event ", "channel ", "grant ", "table ", "page ",
		"frame ", "the ", "a ", "of ", "PV ", "kernel ", "xenstore\n", "vcpu ", "0x",
		"ffffffff80000000 ", "start_info ", "shared_info ", "mmu_update ", ", ", ". ",
	};
	uint8_t *p = alloc_data(n);
	size_t i = 0;

	seed |= 1;
	while (i < n) {
		const char *w = words[next(&seed) % (sizeof(words) / sizeof(words[0]))];

		for (; *w && i < n; w++)
			p[i++] = (uint8_t)*w;
		if (i < n && next(&seed) % 7 == 0)
			p[i++] = (uint8_t)('0' + next(&seed) % 10);
	}
	return p;
}

uint8_t *data_random(size_t n, uint32_t seed)
{
	uint8_t *p = alloc_data(n);

	seed |= 1;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)next(&seed);
	return p;
}

uint8_t *data_runs(size_t n)
{
	uint8_t *p = alloc_data(n);

	for (size_t i = 0; i < n; i++) {
		size_t block = i / 100000;

		p[i] = block % 3 == 0 ? 'a' : block % 3 == 1 ? (uint8_t)("ab"[i & 1])
			: (uint8_t)("0123456789abcdef"[(i / 3) % 16]);
	}
	return p;
}

uint8_t *data_x86(size_t n)
{
	size_t len;
	uint8_t *exe = slurp("/proc/self/exe", &len), *p = alloc_data(n);

	/* Skip the ELF headers; repeat if the program is smaller than asked. */
	for (size_t i = 0; i < n; i++)
		p[i] = exe[(4096 + i) % len];
	free(exe);
	return p;
}

uint8_t *data_branches(size_t n, uint32_t seed)
{
	static const uint8_t bytes[] = { 0xe8, 0xe9, 0xe8, 0x00, 0xff, 0x00, 0xff, 0x0f, 0x80 };
	uint8_t *p = alloc_data(n);

	seed |= 1;
	for (size_t i = 0; i < n; i++) {
		uint32_t r = next(&seed);

		p[i] = r % 4 ? bytes[(r >> 8) % sizeof(bytes)] : (uint8_t)(r >> 16);
	}
	return p;
}
