/*
 * hv's XZ decoder (lib/xz.c, xz_lzma2.c, xz_bcj.c, crc.c) against the host's
 * xz(1): files made with many option sets must decode byte for byte;
 * streams assembled here, down to LZMA symbols range-coded by a small
 * encoder below, must be refused with the right error and reason; and
 * damaged files (every byte flipped, every truncation) must be refused
 * without a fault (ASan and UBSan watch; output buffers are exactly sized
 * so a one-byte overrun is caught).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "xz_tool.h"

#include <hv/crc.h>
#include <hv/xz.h>

/* Decode into an exactly sized buffer; returns the error, output in *out. */
static int decode(const uint8_t *in, size_t n, size_t out_size, uint8_t **out,
		  struct xz_result *res)
{
	void *scratch = malloc(XZ_SCRATCH_SIZE);
	int err;

	*out = malloc(out_size ? out_size : 1);
	ck_assert_ptr_nonnull(scratch);
	ck_assert_ptr_nonnull(*out);
	memset(res, 0xa5, sizeof(*res));
	err = xz_decode(in, n, out_size ? *out : *out + 1, out_size, scratch, res);
	free(scratch);
	ck_assert_ptr_nonnull(res->reason);
	ck_assert_uint_le(res->out_len, out_size);
	ck_assert_uint_le(res->in_pos, n);
	if (err)
		ck_assert_msg(res->reason[0], "error %d without a reason", err);
	else
		ck_assert_str_eq(res->reason, "");
	return err;
}

/* Compress with xz(1) and `opts`, decode, compare. */
static void roundtrip(const uint8_t *data, size_t n, const char *opts)
{
	struct xz_result res;
	size_t zn;
	uint8_t *z = xz_tool_compress(data, n, opts, &zn), *out;
	int err = decode(z, zn, n, &out, &res);

	ck_assert_msg(err == XZ_OK, "xz %s, %zu bytes: error %d (%s: %s) at %zu", opts, n, err,
		      xz_error_name(err), res.reason, res.in_pos);
	ck_assert_uint_eq(res.out_len, n);
	ck_assert_uint_eq(res.in_pos, zn);
	ck_assert_msg(!memcmp(out, data, n), "xz %s: output differs", opts);
	free(out);
	free(z);
}

START_TEST(test_crc_vectors)
{
	ck_assert_uint_eq(crc32(0, "123456789", 9), 0xcbf43926u);
	ck_assert_uint_eq(crc64(0, "123456789", 9), 0x995dc9bbdf1939faull);
	ck_assert_uint_eq(crc32(crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
	ck_assert_uint_eq(crc32(0, "", 0), 0);
}
END_TEST

static const char *const option_sets[] = {
	"--check=crc32", "--check=crc64", "--check=none",
	"--x86 --lzma2", "--check=crc32 --x86 --lzma2",		/* Linux's bzImage */
	"--check=crc32 --x86 --lzma2=dict=32MiB",
	"--lzma2=preset=0", "--lzma2=preset=1", "--lzma2=preset=2", "--lzma2=preset=3",
	"--lzma2=preset=4", "--lzma2=preset=5", "--lzma2=preset=6", "--lzma2=preset=7",
	"--lzma2=preset=8", "--lzma2=preset=9", "--lzma2=preset=0e", "--lzma2=preset=9e",
	"--lzma2=dict=4KiB", "--lzma2=dict=64KiB,lc=0,lp=4,pb=0",
	"--lzma2=lc=4,lp=0,pb=4", "--lzma2=lc=1,lp=3,pb=1", "--lzma2=lc=0,lp=0,pb=0",
	"--lzma2=mode=fast,mf=hc3", "--lzma2=mode=fast,mf=hc4", "--lzma2=mf=bt2,nice=273",
	"--block-size=65536", "--block-size=4000 --x86 --lzma2 --check=crc64",
	"--x86=start=1234 --lzma2", "--x86=start=4294967295 --lzma2",
	"-T2 --block-size=100000",	/* block headers carry both sizes */
	"--block-list=1000,1,5000",	/* uneven blocks, one of one byte */
};

START_TEST(test_option_sets)
{
	const size_t n = 300000;
	uint8_t *text = data_text(n, 1), *code = data_x86(n);

	for (size_t i = 0; i < sizeof(option_sets) / sizeof(option_sets[0]); i++) {
		roundtrip(text, n, option_sets[i]);
		roundtrip(code, n, option_sets[i]);
	}
	free(text);
	free(code);
}
END_TEST

START_TEST(test_data_shapes)
{
	static const char *const opts[] = { "--check=crc32 --x86 --lzma2", "-9e --check=crc64",
					    "-0 --block-size=70000" };
	const size_t n = 1 << 20;
	uint8_t *rnd = data_random(n, 2), *runs = data_runs(n), *br = data_branches(n, 3);

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		roundtrip(rnd, n, opts[i]);		/* stored chunks */
		roundtrip(runs, n, opts[i]);		/* long matches */
		roundtrip(br, n, opts[i]);		/* every BCJ corner */
		roundtrip(rnd, 0, opts[i]);		/* empty */
		roundtrip(rnd, 1, opts[i]);
	}
	/* A run longer than a 2 MiB chunk, and data over several chunks. */
	free(runs);
	runs = data_runs(5 << 20);
	memset(runs, 'z', 3 << 20);
	roundtrip(runs, 5 << 20, "--check=crc32 --x86 --lzma2");
	free(rnd);
	free(runs);
	free(br);
}
END_TEST

/*
 * Whether a one-block .xz file has an LZMA chunk that resets the state
 * but keeps the properties (control 0xa0-0xbf). Its chunks start after
 * the stream header (12 bytes) and the block header.
 */
static bool has_state_reset_chunk(const uint8_t *z, size_t zn)
{
	size_t p = 12 + ((size_t)z[12] + 1) * 4;

	while (p + 6 <= zn && z[p] != 0x00) {
		unsigned int c = z[p];

		if (c >= 0xa0 && c < 0xc0)
			return true;
		if (c < 0x80)
			p += 3 + ((size_t)z[p + 1] << 8 | z[p + 2]) + 1;
		else
			p += (c >= 0xc0 ? 6 : 5) + ((size_t)z[p + 3] << 8 | z[p + 4]) + 1;
	}
	return false;
}

/*
 * Text, incompressible data, text: xz(1) stores the middle uncompressed,
 * and the LZMA chunk after stored ones resets the state (probabilities,
 * state, reps) without new properties. A decoder that carried its model
 * over would decode the last text wrong.
 */
START_TEST(test_state_reset_chunk)
{
	static const char opts[] = "--check=crc32 --x86 --lzma2";
	const size_t t = 100000, r = 1 << 20, n = 2 * t + r;
	uint8_t *text = data_text(2 * t, 10), *rnd = data_random(r, 11), *d = malloc(n), *z, *out;
	struct xz_result res;
	size_t zn;
	int err;

	ck_assert_ptr_nonnull(d);
	memcpy(d, text, t);
	memcpy(d + t, rnd, r);
	memcpy(d + t + r, text + t, t);
	z = xz_tool_compress(d, n, opts, &zn);
	ck_assert_msg(has_state_reset_chunk(z, zn),
		      "xz %s wrote no chunk with control 0xa0-0xbf: nothing is tested", opts);
	err = decode(z, zn, n, &out, &res);
	ck_assert_msg(err == XZ_OK, "error %d (%s) at %zu", err, res.reason, res.in_pos);
	ck_assert_uint_eq(res.out_len, n);
	ck_assert_msg(!memcmp(out, d, n), "output differs");
	free(out);
	free(z);
	free(d);
	free(rnd);
	free(text);
}
END_TEST

START_TEST(test_x86_bcj_start_offsets)
{
	const size_t n = 200000;
	uint8_t *code = data_x86(n), *br = data_branches(n, 7);
	static const char *const starts[] = { "0", "1", "5", "4096", "16777215", "4294967291" };
	char opts[64];

	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		snprintf(opts, sizeof(opts), "--x86=start=%s --lzma2=preset=1", starts[i]);
		roundtrip(code, n, opts);
		roundtrip(br, n, opts);
	}
	/* Sizes 0-9 reach the end-of-buffer limits of the filter. */
	for (size_t len = 0; len < 10; len++)
		roundtrip(br, len, "--x86 --lzma2");
	free(code);
	free(br);
}
END_TEST

static uint8_t *cat(const uint8_t *a, size_t an, const uint8_t *b, size_t bn, size_t *n)
{
	uint8_t *p = malloc(an + bn + 1);

	memcpy(p, a, an);
	memcpy(p + an, b, bn);
	*n = an + bn;
	return p;
}

START_TEST(test_concatenated_streams_and_padding)
{
	uint8_t *d1 = data_text(50000, 4), *d2 = data_x86(30000), *both, *out, *pad, *tmp;
	size_t n1, n2, nb, n, np;
	uint8_t *z1 = xz_tool_compress(d1, 50000, "--check=crc64", &n1);
	uint8_t *z2 = xz_tool_compress(d2, 30000, "--check=none --x86 --lzma2", &n2);
	uint8_t zeros[16] = { 0 };
	struct xz_result res;

	both = cat(d1, 50000, d2, 30000, &nb);
	for (size_t padlen = 0; padlen <= 9; padlen++) {
		/* stream 1, padding, stream 2, the same padding again */
		tmp = cat(z1, n1, zeros, padlen, &np);
		pad = cat(tmp, np, z2, n2, &n);
		free(tmp);
		tmp = cat(pad, n, zeros, padlen, &n);
		if (padlen % 4 == 0) {
			ck_assert_int_eq(decode(tmp, n, nb, &out, &res), XZ_OK);
			ck_assert(!memcmp(out, both, nb));
		} else {
			ck_assert_int_eq(decode(tmp, n, nb, &out, &res), XZ_ERR_CORRUPT);
			ck_assert_str_eq(res.reason, "stream padding is not a multiple of four bytes");
		}
		free(out);
		free(pad);
		free(tmp);
	}
	/* Something after a stream that is neither padding nor a stream. */
	tmp = cat(z1, n1, (const uint8_t *)"\0\0\0\0junk", 8, &n);
	ck_assert_int_eq(decode(tmp, n, 50000, &out, &res), XZ_ERR_CORRUPT);
	ck_assert_str_eq(res.reason, "garbage after the last XZ stream");
	free(out);
	free(tmp);
	free(z1);
	free(z2);
	free(d1);
	free(d2);
	free(both);
}
END_TEST

START_TEST(test_output_buffer_limits)
{
	const size_t n = 100000;
	uint8_t *d = data_text(n, 5), *out;
	size_t zn;
	uint8_t *z = xz_tool_compress(d, n, "--check=crc32 --x86 --lzma2", &zn);
	struct xz_result res;

	ck_assert_int_eq(decode(z, zn, n - 1, &out, &res), XZ_ERR_NOSPACE);
	free(out);
	ck_assert_int_eq(decode(z, zn, 0, &out, &res), XZ_ERR_NOSPACE);
	free(out);
	ck_assert_int_eq(decode(z, zn, n + 4096, &out, &res), XZ_OK);
	ck_assert_uint_eq(res.out_len, n);
	ck_assert(!memcmp(out, d, n));
	free(out);
	free(z);
	free(d);
}
END_TEST

START_TEST(test_not_xz_and_unsupported)
{
	uint8_t *d = data_text(20000, 6), *z, *out;
	size_t zn;
	struct xz_result res;
	static const struct {
		const char *opts;
		const char *reason;
	} refused[] = {
		{ "--check=sha256", "SHA-256 check not supported (use CRC32 or CRC64)" },
		{ "--delta=dist=4 --lzma2", "delta filter not supported" },
		{ "--arm --lzma2", "ARM BCJ filter not supported" },
		{ "--powerpc --lzma2", "PowerPC BCJ filter not supported" },
		{ "--sparc --lzma2", "SPARC BCJ filter not supported" },
		{ "--x86 --delta --lzma2", "filter chain not supported (only LZMA2, or x86 BCJ + LZMA2)" },
	};

	ck_assert_int_eq(decode((const uint8_t *)"", 0, 10, &out, &res), XZ_ERR_TRUNCATED);
	ck_assert_str_eq(res.reason, "empty input");
	free(out);
	z = xz_tool_gzip(d, 20000, &zn);
	ck_assert_int_eq(decode(z, zn, 20000, &out, &res), XZ_ERR_FORMAT);
	ck_assert_str_eq(res.reason, "not XZ data (no stream header magic)");
	free(out);
	free(z);
	z = xz_tool_compress(d, 20000, "--format=lzma", &zn);
	ck_assert_int_eq(decode(z, zn, 20000, &out, &res), XZ_ERR_FORMAT);
	free(out);
	free(z);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		z = xz_tool_compress(d, 20000, refused[i].opts, &zn);
		ck_assert_int_eq(decode(z, zn, 20000, &out, &res), XZ_ERR_UNSUPPORTED);
		ck_assert_str_eq(res.reason, refused[i].reason);
		free(out);
		free(z);
	}
	free(d);
}
END_TEST

/*
 * Damage: a small file with each byte altered in three ways, then every
 * truncation. With a CRC, every change must be caught; without one, the
 * decoder may accept a change to the compressed data but must not fault.
 */
static void damage(const char *opts, bool checked)
{
	const size_t n = 3000;
	uint8_t *d = data_x86(n), *out;
	size_t zn;
	uint8_t *z = xz_tool_compress(d, n, opts, &zn);
	static const uint8_t masks[] = { 0x01, 0x80, 0xff };
	struct xz_result res;

	for (size_t i = 0; i < zn; i++) {
		for (size_t m = 0; m < sizeof(masks); m++) {
			int err;

			z[i] ^= masks[m];
			err = decode(z, zn, n, &out, &res);
			ck_assert_msg(!checked || err != XZ_OK, "xz %s: byte %zu ^ %#x accepted", opts,
				      i, masks[m]);
			if (err == XZ_OK)
				ck_assert_uint_eq(res.out_len, n);
			free(out);
			z[i] ^= masks[m];
		}
	}
	for (size_t len = 0; len < zn; len++) {
		uint8_t *cut = malloc(len ? len : 1);

		memcpy(cut, z, len);
		ck_assert_msg(decode(cut, len, n, &out, &res) != XZ_OK, "xz %s: cut at %zu accepted",
			      opts, len);
		free(out);
		free(cut);
	}
	free(z);
	free(d);
}

START_TEST(test_damage_crc32)
{
	damage("--check=crc32 --x86 --lzma2", true);
}
END_TEST

START_TEST(test_damage_crc64_blocks)
{
	damage("--check=crc64 --block-size=1000", true);
}
END_TEST

START_TEST(test_damage_sizes_in_headers)
{
	damage("-T2 --block-size=700 --check=crc32", true);
}
END_TEST

START_TEST(test_damage_unchecked)
{
	damage("--check=none --x86 --lzma2", false);
}
END_TEST

/* --- Streams assembled here --------------------------------------------- */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *src, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static void put8(struct buf *b, uint8_t v)
{
	put(b, &v, 1);
}

static void put32(struct buf *b, uint32_t v)
{
	uint8_t le[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	put(b, le, 4);
}

static void put_vli(struct buf *b, uint64_t v)
{
	while (v >= 0x80) {
		put8(b, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	put8(b, (uint8_t)v);
}

/* One single-block stream; the knobs spoil one thing each. */
struct craft {
	uint8_t check;			/* 0, 1 (CRC32), 4 (CRC64) */
	const uint8_t *lzma2;		/* the block's compressed data */
	size_t lzma2_len;
	const uint8_t *plain;		/* what it decodes to */
	size_t plain_len;
	const uint8_t *filters;		/* filter flags; NULL: LZMA2 alone */
	size_t filters_len;
	unsigned int nr_filters;
	bool sizes;			/* put both sizes in the block header */
	int64_t compressed_delta, uncompressed_delta;	/* ...off by this */
	bool uncompressed_nonminimal;	/* ...spelled with a needless zero byte */
	uint8_t block_flags_or, stream_flags_or, header_pad;
	bool bad_header_crc, bad_check;
	int64_t index_count_delta, index_size_delta;
	bool index_nonminimal_vli;
	bool index_long_vli;		/* a record count of 10 bytes */
	int32_t backward_delta;
	uint8_t footer_flags_xor;
};

static const uint8_t lzma2_alone[] = { 0x21, 0x01, 0x10 };

static uint8_t *craft(const struct craft *c, size_t *n)
{
	struct buf s = { 0 }, h = { 0 }, ix = { 0 };
	uint8_t flags[2] = { 0, (uint8_t)(c->check | c->stream_flags_or) };
	const uint8_t *filters = c->filters ? c->filters : lzma2_alone;
	size_t filters_len = c->filters ? c->filters_len : sizeof(lzma2_alone);
	unsigned int check_size = c->check == 1 ? 4 : c->check == 4 ? 8 : 0;
	size_t hdr_size, unpadded;

	/* Stream header. */
	put(&s, "\xfd" "7zXZ", 6);
	put(&s, flags, 2);
	put32(&s, crc32(0, flags, 2));

	/* Block header. */
	put8(&h, 0);				/* size, set below */
	put8(&h, (uint8_t)(((c->nr_filters ? c->nr_filters : 1) - 1) | (c->sizes ? 0xc0 : 0) |
			   c->block_flags_or));
	if (c->sizes) {
		put_vli(&h, (uint64_t)((int64_t)c->lzma2_len + c->compressed_delta));
		if (c->uncompressed_nonminimal) {
			put8(&h, (uint8_t)(0x80 | c->plain_len));
			put8(&h, 0x00);
		} else {
			put_vli(&h, (uint64_t)((int64_t)c->plain_len + c->uncompressed_delta));
		}
	}
	put(&h, filters, filters_len);
	if (c->header_pad)
		put8(&h, c->header_pad);
	while ((h.len + 4) % 4)
		put8(&h, 0);
	h.p[0] = (uint8_t)((h.len + 4) / 4 - 1);
	put32(&h, crc32(0, h.p, h.len) ^ (c->bad_header_crc ? 1 : 0));
	hdr_size = h.len;
	put(&s, h.p, h.len);

	/* Data, padding, check. */
	put(&s, c->lzma2, c->lzma2_len);
	while (s.len % 4)
		put8(&s, 0);
	if (c->check == 1)
		put32(&s, crc32(0, c->plain, c->plain_len) ^ (c->bad_check ? 0x100 : 0));
	if (c->check == 4) {
		uint64_t v = crc64(0, c->plain, c->plain_len) ^ (c->bad_check ? 1 : 0);

		put32(&s, (uint32_t)v);
		put32(&s, (uint32_t)(v >> 32));
	}

	/* Index. */
	unpadded = hdr_size + c->lzma2_len + check_size;
	put8(&ix, 0);
	if (c->index_nonminimal_vli) {
		put8(&ix, 0x81);		/* 1, spelled with a needless zero byte */
		put8(&ix, 0x00);
	} else if (c->index_long_vli) {
		for (int i = 0; i < 9; i++)	/* 1, then more bytes than a VLI may have */
			put8(&ix, i ? 0x80 : 0x81);
		put8(&ix, 0x00);
	} else {
		put_vli(&ix, (uint64_t)(1 + c->index_count_delta));
	}
	put_vli(&ix, unpadded);
	put_vli(&ix, (uint64_t)((int64_t)c->plain_len + c->index_size_delta));
	while (ix.len % 4)
		put8(&ix, 0);
	put32(&ix, crc32(0, ix.p, ix.len));
	put(&s, ix.p, ix.len);

	/* Footer. */
	{
		uint8_t f[6];
		uint32_t backward = (uint32_t)(ix.len / 4 - 1 + (size_t)c->backward_delta);

		f[0] = (uint8_t)backward;
		f[1] = (uint8_t)(backward >> 8);
		f[2] = (uint8_t)(backward >> 16);
		f[3] = (uint8_t)(backward >> 24);
		f[4] = flags[0];
		f[5] = flags[1] ^ c->footer_flags_xor;
		put32(&s, crc32(0, f, 6));
		put(&s, f, 6);
		put(&s, "YZ", 2);
	}
	free(h.p);
	free(ix.p);
	*n = s.len;
	return s.p;
}

static int decode_crafted(const struct craft *c, size_t out_size, const char *reason)
{
	size_t n;
	uint8_t *z = craft(c, &n), *out;
	struct xz_result res;
	int err = decode(z, n, out_size, &out, &res);

	if (reason)
		ck_assert_str_eq(res.reason, reason);
	if (err == XZ_OK) {
		ck_assert_uint_eq(res.out_len, c->plain_len);
		ck_assert(!memcmp(out, c->plain, c->plain_len));
	}
	free(out);
	free(z);
	return err;
}

static const uint8_t stored_hello[] = { 0x01, 0x00, 0x04, 'h', 'e', 'l', 'l', 'o', 0x00 };

START_TEST(test_crafted_container)
{
	struct craft c = { .check = 1, .lzma2 = stored_hello, .lzma2_len = sizeof(stored_hello),
			   .plain = (const uint8_t *)"hello", .plain_len = 5 };
	struct craft t;
	static const uint8_t x86_lzma2[] = { 0x04, 0x00, 0x21, 0x01, 0x10 };
	static const uint8_t x86_start[] = { 0x04, 0x04, 1, 2, 3, 4, 0x21, 0x01, 0x10 };
	static const uint8_t x86_x86_lzma2[] = { 0x04, 0x00, 0x04, 0x00, 0x21, 0x01, 0x10 };
	static const uint8_t lzma2_x86[] = { 0x21, 0x01, 0x10, 0x04, 0x00 };
	static const uint8_t odd_filter[] = { 0x40, 0x00, 0x21, 0x01, 0x10 };
	static const uint8_t lzma2_big_dict[] = { 0x21, 0x01, 41 };
	static const uint8_t lzma2_2props[] = { 0x21, 0x02, 0x10, 0x00 };
	static const uint8_t props_overrun[] = { 0x21, 0x09, 0x10 };
	static const uint8_t id_nonminimal[] = { 0xa1, 0x00, 0x01, 0x10 };
	static const uint8_t props_size_nonminimal[] = { 0x21, 0x81, 0x00, 0x10 };
	static const uint8_t x86_alone[] = { 0x04, 0x00 };
	static const uint8_t x86_props_2[] = { 0x04, 0x02, 1, 2, 0x21, 0x01, 0x10 };

	ck_assert_int_eq(decode_crafted(&c, 5, ""), XZ_OK);
	t = c, t.check = 4;
	ck_assert_int_eq(decode_crafted(&t, 5, ""), XZ_OK);
	t = c, t.check = 0;
	ck_assert_int_eq(decode_crafted(&t, 5, ""), XZ_OK);
	t = c, t.sizes = true;
	ck_assert_int_eq(decode_crafted(&t, 5, ""), XZ_OK);
	t = c, t.filters = x86_lzma2, t.filters_len = sizeof(x86_lzma2), t.nr_filters = 2;
	ck_assert_int_eq(decode_crafted(&t, 5, ""), XZ_OK);
	t = c, t.filters = x86_start, t.filters_len = sizeof(x86_start), t.nr_filters = 2;
	ck_assert_int_eq(decode_crafted(&t, 5, ""), XZ_OK);

	t = c, t.stream_flags_or = 0x20;
	ck_assert_int_eq(decode_crafted(&t, 5, "stream flags use reserved bits"), XZ_ERR_UNSUPPORTED);
	t = c, t.check = 2;
	ck_assert_int_eq(decode_crafted(&t, 5, "unknown check type"), XZ_ERR_UNSUPPORTED);
	t = c, t.bad_header_crc = true;
	ck_assert_int_eq(decode_crafted(&t, 5, "block header CRC32 mismatch"), XZ_ERR_CHECK);
	t = c, t.block_flags_or = 0x04;
	ck_assert_int_eq(decode_crafted(&t, 5, "block header flags use reserved bits"),
			 XZ_ERR_UNSUPPORTED);
	t = c, t.header_pad = 0x10;
	ck_assert_int_eq(decode_crafted(&t, 5, "block header has unknown data after the filters"),
			 XZ_ERR_UNSUPPORTED);
	t = c, t.sizes = true, t.compressed_delta = 4;
	ck_assert_int_eq(decode_crafted(&t, 5, "compressed size differs from the block header's"),
			 XZ_ERR_CORRUPT);
	t = c, t.sizes = true, t.compressed_delta = -(int64_t)sizeof(stored_hello);
	ck_assert_int_eq(decode_crafted(&t, 5, "block header: malformed compressed size"),
			 XZ_ERR_CORRUPT);
	t = c, t.sizes = true, t.uncompressed_delta = -1;
	ck_assert_int_eq(decode_crafted(&t, 5, "uncompressed size differs from the block header's"),
			 XZ_ERR_CORRUPT);
	t = c, t.filters = x86_x86_lzma2, t.filters_len = sizeof(x86_x86_lzma2), t.nr_filters = 3;
	ck_assert_int_eq(decode_crafted(&t, 5, "filter chain not supported (only LZMA2, or x86 BCJ + LZMA2)"),
			 XZ_ERR_UNSUPPORTED);
	t = c, t.filters = lzma2_x86, t.filters_len = sizeof(lzma2_x86), t.nr_filters = 2;
	ck_assert_int_eq(decode_crafted(&t, 5, "block header: LZMA2 is not the last filter"),
			 XZ_ERR_CORRUPT);
	t = c, t.filters = odd_filter, t.filters_len = sizeof(odd_filter), t.nr_filters = 2;
	ck_assert_int_eq(decode_crafted(&t, 5, "unknown filter"), XZ_ERR_UNSUPPORTED);
	t = c, t.filters = lzma2_big_dict, t.filters_len = sizeof(lzma2_big_dict);
	ck_assert_int_eq(decode_crafted(&t, 5, "block header: invalid LZMA2 dictionary size"),
			 XZ_ERR_UNSUPPORTED);
	t = c, t.filters = lzma2_2props, t.filters_len = sizeof(lzma2_2props);
	ck_assert_int_eq(decode_crafted(&t, 5, "block header: LZMA2 properties are not one byte"),
			 XZ_ERR_CORRUPT);
	t = c, t.filters = props_overrun, t.filters_len = sizeof(props_overrun);
	ck_assert_int_eq(decode_crafted(&t, 5, "block header: filter properties overrun the header"),
			 XZ_ERR_CORRUPT);
	t = c, t.filters = id_nonminimal, t.filters_len = sizeof(id_nonminimal);
	ck_assert_int_eq(decode_crafted(&t, 5, "block header: malformed filter ID"), XZ_ERR_CORRUPT);
	t = c, t.filters = props_size_nonminimal, t.filters_len = sizeof(props_size_nonminimal);
	ck_assert_int_eq(decode_crafted(&t, 5, "block header: malformed filter properties size"),
			 XZ_ERR_CORRUPT);
	t = c, t.filters = x86_alone, t.filters_len = sizeof(x86_alone);
	ck_assert_int_eq(decode_crafted(&t, 5, "block header: x86 BCJ is the last filter"),
			 XZ_ERR_CORRUPT);
	t = c, t.filters = x86_props_2, t.filters_len = sizeof(x86_props_2), t.nr_filters = 2;
	ck_assert_int_eq(decode_crafted(&t, 5, "block header: x86 BCJ properties not understood"),
			 XZ_ERR_UNSUPPORTED);
	t = c, t.sizes = true, t.uncompressed_nonminimal = true;
	ck_assert_int_eq(decode_crafted(&t, 5, "block header: malformed uncompressed size"),
			 XZ_ERR_CORRUPT);
	t = c, t.bad_check = true;
	ck_assert_int_eq(decode_crafted(&t, 5, "CRC32 of block data mismatch"), XZ_ERR_CHECK);
	t = c, t.check = 4, t.bad_check = true;
	ck_assert_int_eq(decode_crafted(&t, 5, "CRC64 of block data mismatch"), XZ_ERR_CHECK);
	t = c, t.index_count_delta = 1;
	ck_assert_int_eq(decode_crafted(&t, 5, "index: number of records differs from the blocks"),
			 XZ_ERR_CORRUPT);
	t = c, t.index_size_delta = 1;
	ck_assert_int_eq(decode_crafted(&t, 5, "index does not match the blocks"), XZ_ERR_CORRUPT);
	t = c, t.index_nonminimal_vli = true;
	ck_assert_int_eq(decode_crafted(&t, 5, "index: malformed record count"), XZ_ERR_CORRUPT);
	t = c, t.index_long_vli = true;
	ck_assert_int_eq(decode_crafted(&t, 5, "index: malformed record count"), XZ_ERR_CORRUPT);
	t = c, t.backward_delta = 1;
	ck_assert_int_eq(decode_crafted(&t, 5, "stream footer: backward size differs from the index"),
			 XZ_ERR_CORRUPT);
	t = c, t.footer_flags_xor = 0x05;
	ck_assert_int_eq(decode_crafted(&t, 5, "stream footer flags differ from the header's"),
			 XZ_ERR_CORRUPT);
}
END_TEST

/* LZMA2 chunk sequences, in a valid container. */
static int decode_lzma2(const uint8_t *lzma2, size_t len, const uint8_t *plain, size_t plain_len,
			const char *reason)
{
	struct craft c = { .check = 1, .lzma2 = lzma2, .lzma2_len = len, .plain = plain,
			   .plain_len = plain_len };

	return decode_crafted(&c, plain_len + 16, reason);
}

START_TEST(test_crafted_lzma2_chunks)
{
	static const uint8_t two_stored[] = { 0x01, 0x00, 0x01, 'a', 'b', 0x02, 0x00, 0x00, 'c', 0x00 };
	static const uint8_t no_reset[] = { 0x02, 0x00, 0x00, 'a', 0x00 };
	static const uint8_t bad_control[] = { 0x01, 0x00, 0x00, 'a', 0x03, 0x00 };
	static const uint8_t lzma_first[] = { 0x80, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 0, 0, 0x00 };
	static const uint8_t no_props[] = { 0x01, 0x00, 0x00, 'a', 0xa0, 0x00, 0x00, 0x00, 0x04,
					    0, 0, 0, 0, 0, 0x00 };
	static const uint8_t props_lclp[] = { 0xe0, 0x00, 0x00, 0x00, 0x04, 4 + 9 * 1, 0, 0, 0, 0, 0,
					      0x00 };
	static const uint8_t props_big[] = { 0xe0, 0x00, 0x00, 0x00, 0x04, 225, 0, 0, 0, 0, 0, 0x00 };
	static const uint8_t rc_first_byte[] = { 0xe0, 0x00, 0x00, 0x00, 0x04, 0x5d, 1, 0, 0, 0, 0,
						 0x00 };
	static const uint8_t no_end[] = { 0x01, 0x00, 0x00, 'a' };
	static const uint8_t cut_header[] = { 0x01, 0x00 };
	static const uint8_t cut_stored[] = { 0x01, 0x00, 0x08, 'a' };

	ck_assert_int_eq(decode_lzma2(two_stored, sizeof(two_stored), (const uint8_t *)"abc", 3, ""),
			 XZ_OK);
	ck_assert_int_eq(decode_lzma2(no_reset, sizeof(no_reset), (const uint8_t *)"a", 1,
				      "LZMA2 data does not start with a dictionary reset"),
			 XZ_ERR_CORRUPT);
	ck_assert_int_eq(decode_lzma2(bad_control, sizeof(bad_control), (const uint8_t *)"a", 1,
				      "invalid LZMA2 control byte"), XZ_ERR_CORRUPT);
	ck_assert_int_eq(decode_lzma2(lzma_first, sizeof(lzma_first), (const uint8_t *)"a", 1,
				      "LZMA2 data does not start with a dictionary reset"),
			 XZ_ERR_CORRUPT);
	ck_assert_int_eq(decode_lzma2(no_props, sizeof(no_props), (const uint8_t *)"aa", 2,
				      "LZMA2 chunk without properties after a dictionary reset"),
			 XZ_ERR_CORRUPT);
	ck_assert_int_eq(decode_lzma2(props_lclp, sizeof(props_lclp), (const uint8_t *)"a", 1,
				      "LZMA2 properties with lc + lp > 4"), XZ_ERR_CORRUPT);
	ck_assert_int_eq(decode_lzma2(props_big, sizeof(props_big), (const uint8_t *)"a", 1,
				      "invalid LZMA properties byte"), XZ_ERR_CORRUPT);
	ck_assert_int_eq(decode_lzma2(rc_first_byte, sizeof(rc_first_byte), (const uint8_t *)"a", 1,
				      "LZMA chunk does not start a range coder"), XZ_ERR_CORRUPT);
	/* Cut short: whatever follows in the container is read as chunks, and fails. */
	ck_assert_int_ne(decode_lzma2(no_end, sizeof(no_end), (const uint8_t *)"a", 1, NULL),
			 XZ_OK);
	ck_assert_int_ne(decode_lzma2(cut_header, sizeof(cut_header), (const uint8_t *)"a", 1, NULL),
			 XZ_OK);
	ck_assert_int_ne(decode_lzma2(cut_stored, sizeof(cut_stored), (const uint8_t *)"a", 1, NULL),
			 XZ_OK);
}
END_TEST

/*
 * The input itself ends inside the first chunk: its header (the stored
 * path's three bytes), then its data. In a whole stream the container
 * follows the chunks, so only a cut file gets here.
 */
START_TEST(test_cut_in_stored_chunk)
{
	struct craft c = { .check = 1, .lzma2 = stored_hello, .lzma2_len = sizeof(stored_hello),
			   .plain = (const uint8_t *)"hello", .plain_len = 5 };
	size_t n, data;
	uint8_t *z = craft(&c, &n), *out;
	struct xz_result res;

	data = 12 + ((size_t)z[12] + 1) * 4;		/* stream header, block header */
	ck_assert_uint_eq(z[data], 0x01);
	for (size_t cut = data + 1; cut < data + 3; cut++) {
		ck_assert_int_eq(decode(z, cut, 5, &out, &res), XZ_ERR_TRUNCATED);
		ck_assert_str_eq(res.reason, "LZMA2 chunk header cut short");
		free(out);
	}
	ck_assert_int_eq(decode(z, data + 5, 5, &out, &res), XZ_ERR_TRUNCATED);
	ck_assert_str_eq(res.reason, "LZMA2 stored chunk cut short");
	free(out);
	free(z);
}
END_TEST

/* Matches may not reach back further than the declared dictionary. */
START_TEST(test_dictionary_size_enforced)
{
	const size_t half = 6000;
	uint8_t *d = data_random(2 * half, 9), *raw;
	size_t rn;
	/* LZMA2 alone, dictionary 4 KiB (property 0) or 6 KiB (property 1). */
	static const uint8_t dict_4k[] = { 0x21, 0x01, 0 }, dict_6k[] = { 0x21, 0x01, 1 };
	struct craft c = { .check = 1, .filters_len = 3 };

	/* The second half repeats the first: one match at distance 6000. */
	memcpy(d + half, d, half);
	raw = xz_tool_compress(d, 2 * half, "--format=raw --lzma2=dict=64KiB", &rn);
	c.lzma2 = raw, c.lzma2_len = rn, c.plain = d, c.plain_len = 2 * half;
	c.filters = dict_6k;
	ck_assert_int_eq(decode_crafted(&c, 2 * half, ""), XZ_OK);
	c.filters = dict_4k;
	ck_assert_int_eq(decode_crafted(&c, 2 * half, "LZMA match distance beyond the dictionary size"),
			 XZ_ERR_CORRUPT);
	free(raw);
	free(d);
}
END_TEST

/* Rewrite the sizes in an LZMA chunk header. */
static void set_packed(uint8_t *chunk, size_t packed)
{
	chunk[3] = (uint8_t)((packed - 1) >> 8);
	chunk[4] = (uint8_t)(packed - 1);
}

static void set_unpacked(uint8_t *chunk, size_t unpacked)
{
	chunk[0] = (uint8_t)((chunk[0] & 0xe0) | (unpacked - 1) >> 16);
	chunk[1] = (uint8_t)((unpacked - 1) >> 8);
	chunk[2] = (uint8_t)(unpacked - 1);
}

/* Real LZMA chunks from xz(1), rewrapped and then spoilt. */
START_TEST(test_real_lzma_chunk_sizes)
{
	const size_t n = 5000;
	uint8_t *d = data_text(n, 8);
	size_t rn, packed;
	uint8_t *raw = xz_tool_compress(d, n, "--format=raw --lzma2=dict=64KiB", &rn), *t;

	/* One LZMA chunk with properties, then the end marker. */
	ck_assert_uint_eq(raw[0], 0xe0);
	packed = ((size_t)raw[3] << 8 | raw[4]) + 1;
	ck_assert_uint_eq(rn, 6 + packed + 1);
	ck_assert_int_eq(decode_lzma2(raw, rn, d, n, ""), XZ_OK);
	t = malloc(rn + 1);

	/* A packed size one too large: a spare byte the range coder never reads. */
	memcpy(t, raw, 6 + packed);
	t[6 + packed] = 0x00;
	t[6 + packed + 1] = 0x00;
	set_packed(t, packed + 1);
	ck_assert_int_eq(decode_lzma2(t, rn + 1, d, n, "LZMA chunk ends before its packed size"),
			 XZ_ERR_CORRUPT);

	/* One too small, the last byte dropped: the range coder runs out. */
	memcpy(t, raw, 6 + packed - 1);
	t[6 + packed - 1] = 0x00;
	set_packed(t, packed - 1);
	ck_assert_int_eq(decode_lzma2(t, rn - 1, d, n,
				      "LZMA chunk needs more bytes than its packed size"),
			 XZ_ERR_CORRUPT);

	/* An unpacked size one too small: the data goes on past it. */
	memcpy(t, raw, rn);
	set_unpacked(t, n - 1);
	ck_assert_int_eq(decode_lzma2(t, rn, d, n - 1, NULL), XZ_ERR_CORRUPT);
	free(t);
	free(raw);
	free(d);
}
END_TEST

/*
 * A small LZMA encoder with lc = lp = pb = 0 (properties byte 0), just
 * enough to write the symbols a test needs: literals after literals, and
 * matches with short lengths and distances. It mirrors the decoder's
 * model, so a mistake in either shows up as a failed round trip below.
 */
struct enc {
	uint64_t low;
	uint32_t range;
	uint8_t cache;
	uint64_t cache_size;
	struct buf out;
	uint16_t is_match[12], is_rep[12], is_rep0[12], is_rep0_long[12];
	uint16_t literal[0x300], dist_slot[4][64], dist_special[115], dist_align[16];
	uint16_t len_choice, len_low[8];
	unsigned int state;
};

static void enc_reset_model(struct enc *e)
{
	uint16_t *groups[] = { e->is_match, e->is_rep, e->is_rep0, e->is_rep0_long, e->literal,
			       &e->dist_slot[0][0], e->dist_special, e->dist_align, e->len_low };
	size_t sizes[] = { 12, 12, 12, 12, 0x300, 4 * 64, 115, 16, 8 };

	for (size_t g = 0; g < sizeof(sizes) / sizeof(sizes[0]); g++)
		for (size_t i = 0; i < sizes[g]; i++)
			groups[g][i] = 1024;
	e->len_choice = 1024;
	e->state = 0;
}

static void enc_start(struct enc *e)
{
	e->low = 0;
	e->range = 0xffffffff;
	e->cache = 0;
	e->cache_size = 1;
	e->out.len = 0;
}

static void enc_shift_low(struct enc *e)
{
	if ((uint32_t)e->low < 0xff000000u || (e->low >> 32)) {
		uint8_t carry = (uint8_t)(e->low >> 32), c = e->cache;

		do {
			put8(&e->out, (uint8_t)(c + carry));
			c = 0xff;
		} while (--e->cache_size);
		e->cache = (uint8_t)(e->low >> 24);
	}
	e->cache_size++;
	e->low = (e->low & 0x00ffffff) << 8;
}

static void enc_bit(struct enc *e, uint16_t *p, unsigned int bit)
{
	uint32_t bound = (e->range >> 11) * *p;

	if (!bit) {
		e->range = bound;
		*p = (uint16_t)(*p + ((2048 - *p) >> 5));
	} else {
		e->low += bound;
		e->range -= bound;
		*p = (uint16_t)(*p - (*p >> 5));
	}
	while (e->range < (1u << 24)) {
		e->range <<= 8;
		enc_shift_low(e);
	}
}

static void enc_tree(struct enc *e, uint16_t *probs, unsigned int bits, unsigned int v)
{
	unsigned int node = 1;

	for (int i = (int)bits - 1; i >= 0; i--) {
		unsigned int bit = (v >> i) & 1;

		enc_bit(e, &probs[node], bit);
		node = (node << 1) | bit;
	}
}

static void enc_literal(struct enc *e, uint8_t byte)
{
	ck_assert_uint_lt(e->state, 7);		/* no matched literals here */
	enc_bit(e, &e->is_match[e->state], 0);
	enc_tree(e, e->literal, 8, byte);
	e->state = e->state < 4 ? 0 : e->state < 10 ? e->state - 3 : e->state - 6;
}

/* A new-distance match: len 2-9, dist (distance - 1) below 4 or exactly 4-5. */
static void enc_match(struct enc *e, unsigned int len, unsigned int dist)
{
	unsigned int len_state = len - 2 < 3 ? len - 2 : 3;

	ck_assert(len >= 2 && len <= 9);
	enc_bit(e, &e->is_match[e->state], 1);
	enc_bit(e, &e->is_rep[e->state], 0);
	enc_bit(e, &e->len_choice, 0);
	enc_tree(e, e->len_low, 3, len - 2);
	if (dist < 4) {
		enc_tree(e, e->dist_slot[len_state], 6, dist);
	} else {
		ck_assert(dist == 4 || dist == 5);	/* slot 4: base 4, one reverse bit */
		enc_tree(e, e->dist_slot[len_state], 6, 4);
		enc_bit(e, &e->dist_special[1], dist - 4);
	}
	e->state = e->state < 7 ? 7 : 10;
}

/* Short rep: one byte from rep0. */
static void enc_short_rep(struct enc *e)
{
	enc_bit(e, &e->is_match[e->state], 1);
	enc_bit(e, &e->is_rep[e->state], 1);
	enc_bit(e, &e->is_rep0[e->state], 0);
	enc_bit(e, &e->is_rep0_long[e->state], 0);
	e->state = e->state < 7 ? 9 : 11;
}

/* Finish the range coder and append a chunk (control, sizes, props) to b. */
static void enc_chunk(struct enc *e, struct buf *b, uint8_t control, size_t unpacked)
{
	for (int i = 0; i < 5; i++)
		enc_shift_low(e);
	put8(b, (uint8_t)(control | ((unpacked - 1) >> 16)));
	put8(b, (uint8_t)((unpacked - 1) >> 8));
	put8(b, (uint8_t)(unpacked - 1));
	put8(b, (uint8_t)((e->out.len - 1) >> 8));
	put8(b, (uint8_t)(e->out.len - 1));
	if (control >= 0xc0)
		put8(b, 0x00);			/* lc = lp = pb = 0 */
	put(b, e->out.p, e->out.len);
}

START_TEST(test_encoded_symbols)
{
	struct enc e = { 0 };
	struct buf b = { 0 };

	/* "ab" then a 6-byte match at distance 2: abababab. */
	enc_reset_model(&e);
	enc_start(&e);
	enc_literal(&e, 'a');
	enc_literal(&e, 'b');
	enc_match(&e, 6, 1);
	enc_chunk(&e, &b, 0xe0, 8);
	put8(&b, 0x00);
	ck_assert_int_eq(decode_lzma2(b.p, b.len, (const uint8_t *)"abababab", 8, ""), XZ_OK);

	/* A distance past the start of the data. */
	b.len = 0;
	enc_reset_model(&e);
	enc_start(&e);
	enc_literal(&e, 'a');
	enc_match(&e, 2, 5);
	enc_chunk(&e, &b, 0xe0, 3);
	put8(&b, 0x00);
	ck_assert_int_eq(decode_lzma2(b.p, b.len, (const uint8_t *)"aaa", 3,
				      "LZMA match distance beyond the data decoded so far"),
			 XZ_ERR_CORRUPT);

	/* A match as the very first symbol. */
	b.len = 0;
	enc_reset_model(&e);
	enc_start(&e);
	enc_match(&e, 2, 0);
	enc_chunk(&e, &b, 0xe0, 2);
	put8(&b, 0x00);
	ck_assert_int_eq(decode_lzma2(b.p, b.len, (const uint8_t *)"aa", 2,
				      "LZMA match distance beyond the data decoded so far"),
			 XZ_ERR_CORRUPT);

	/* A short rep with nothing decoded yet (rep0 starts at 0). */
	b.len = 0;
	enc_reset_model(&e);
	enc_start(&e);
	enc_short_rep(&e);
	enc_chunk(&e, &b, 0xe0, 1);
	put8(&b, 0x00);
	ck_assert_int_eq(decode_lzma2(b.p, b.len, (const uint8_t *)"a", 1,
				      "LZMA match distance beyond the data decoded so far"),
			 XZ_ERR_CORRUPT);

	/* A match longer than what is left of its chunk. */
	b.len = 0;
	enc_reset_model(&e);
	enc_start(&e);
	enc_literal(&e, 'a');
	enc_match(&e, 9, 0);
	enc_chunk(&e, &b, 0xe0, 5);
	put8(&b, 0x00);
	ck_assert_int_eq(decode_lzma2(b.p, b.len, (const uint8_t *)"aaaaa", 5,
				      "LZMA match runs past the end of its chunk"),
			 XZ_ERR_CORRUPT);

	/*
	 * Two chunks: the second's match reaches into the first. Fine when
	 * the second carries on (0x80); refused when it resets the
	 * dictionary (0xe0, with the model reset to match).
	 */
	for (int reset = 0; reset < 2; reset++) {
		b.len = 0;
		enc_reset_model(&e);
		enc_start(&e);
		enc_literal(&e, 'x');
		enc_literal(&e, 'y');
		enc_literal(&e, 'z');
		enc_chunk(&e, &b, 0xe0, 3);
		if (reset)
			enc_reset_model(&e);
		enc_start(&e);
		enc_match(&e, 3, 2);
		enc_chunk(&e, &b, reset ? 0xe0 : 0x80, 3);
		put8(&b, 0x00);
		ck_assert_int_eq(decode_lzma2(b.p, b.len, (const uint8_t *)"xyzxyz", 6,
					      reset ? "LZMA match distance beyond the data decoded so far"
						    : ""),
				 reset ? XZ_ERR_CORRUPT : XZ_OK);
	}

	/* A stored chunk with a dictionary reset needs properties after it. */
	b.len = 0;
	put(&b, "\x01\x00\x01" "pq", 5);
	enc_reset_model(&e);
	enc_start(&e);
	enc_match(&e, 2, 1);
	enc_chunk(&e, &b, 0xc0, 2);
	put8(&b, 0x00);
	ck_assert_int_eq(decode_lzma2(b.p, b.len, (const uint8_t *)"pqpq", 4, ""), XZ_OK);

	free(b.p);
	free(e.out.p);
}
END_TEST

Suite *xz_suite(void)
{
	Suite *s = suite_create("xz");
	TCase *tc = tcase_create("decode");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_crc_vectors);
	tcase_add_test(tc, test_option_sets);
	tcase_add_test(tc, test_data_shapes);
	tcase_add_test(tc, test_state_reset_chunk);
	tcase_add_test(tc, test_x86_bcj_start_offsets);
	tcase_add_test(tc, test_concatenated_streams_and_padding);
	tcase_add_test(tc, test_output_buffer_limits);
	tcase_add_test(tc, test_not_xz_and_unsupported);
	tcase_add_test(tc, test_damage_crc32);
	tcase_add_test(tc, test_damage_crc64_blocks);
	tcase_add_test(tc, test_damage_sizes_in_headers);
	tcase_add_test(tc, test_damage_unchecked);
	tcase_add_test(tc, test_crafted_container);
	tcase_add_test(tc, test_crafted_lzma2_chunks);
	tcase_add_test(tc, test_real_lzma_chunk_sizes);
	tcase_add_test(tc, test_cut_in_stored_chunk);
	tcase_add_test(tc, test_dictionary_size_enforced);
	tcase_add_test(tc, test_encoded_symbols);
	suite_add_tcase(s, tc);
	return s;
}
