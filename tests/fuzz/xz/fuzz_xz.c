/*
 * libFuzzer target for hv's XZ decoder (hypervisor/lib/xz*.c), with liblzma
 * as the oracle. The first input byte picks a mode:
 *
 *   0  the rest is an .xz file. hv's decoder and liblzma's (concatenated
 *      streams) must agree: if hv accepts, liblzma gives the same bytes;
 *      if liblzma accepts, hv gives the same bytes or refuses an option
 *      it does not support (check, filter) or runs out of output space.
 *   1  the rest is raw LZMA2 data (after a byte choosing a dictionary of
 *   2  4-48 KiB); 2 also runs x86 BCJ with a start offset taken from the
 *      input. hv gets it inside a container built here; liblzma decodes
 *      the same bytes raw. When liblzma accepts, a container with the
 *      right index must give the same output; when it refuses, hv must
 *      refuse the data itself, before it gets to the index.
 *
 * Either way ASan and UBSan watch every access, and the output buffer is
 * exactly sized so a one-byte overrun is caught.
 */
#include <lzma.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hv/crc.h>
#include <hv/xz.h>

#define OUT_MAX (1u << 20)

static void *scratch;

static void must(int cond)
{
	if (!cond)
		abort();
}

/*
 * liblzma over an .xz file: 1 (and the size) when it accepts, 0 when it
 * refuses, -1 when it gives no verdict (the dictionary would exceed the
 * small memory limit set here, which keeps the fuzzer's memory bounded).
 */
static int lzma_file(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *len)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r;

	if (lzma_stream_decoder(&s, 64u << 20, LZMA_CONCATENATED) != LZMA_OK)
		abort();
	s.next_in = in;
	s.avail_in = n;
	s.next_out = out;
	s.avail_out = cap;
	r = lzma_code(&s, LZMA_FINISH);
	*len = cap - s.avail_out;
	lzma_end(&s);
	if (r == LZMA_MEMLIMIT_ERROR || r == LZMA_MEM_ERROR)
		return -1;
	return r == LZMA_STREAM_END && s.avail_in == 0;
}

static void check_result(int err, const struct xz_result *res, size_t in_size, size_t out_size)
{
	must(res->reason != NULL);
	must(res->out_len <= out_size && res->in_pos <= in_size);
	must(err == XZ_OK ? res->reason[0] == '\0' : res->reason[0] != '\0');
	must(err >= XZ_OK && err <= XZ_ERR_NOSPACE);
	must(xz_error_name(err)[0] != '\0');
}

static void fuzz_file(const uint8_t *data, size_t size)
{
	size_t out_size, their_len;
	uint8_t *ours, *theirs;
	struct xz_result res;
	int err, ok;

	if (size < 2)
		return;
	/* Output buffer: 0 to 1 MiB in 64-byte steps, from two bytes. */
	out_size = ((size_t)data[0] | (size_t)data[1] << 8) % (OUT_MAX / 64 + 1) * 64;
	data += 2;
	size -= 2;
	ours = malloc(out_size ? out_size : 1);
	theirs = malloc(out_size + 1);
	err = xz_decode(data, size, out_size ? ours : ours + 1, out_size, scratch, &res);
	check_result(err, &res, size, out_size);
	/* One byte more for liblzma, to tell "fits exactly" from "too big". */
	ok = lzma_file(data, size, theirs, out_size + 1, &their_len);
	if (ok < 0) {
		/* no verdict */
	} else if (err == XZ_OK) {
		must(ok && their_len == res.out_len && res.in_pos == size);
		must(!memcmp(ours, theirs, res.out_len));
	} else if (ok) {
		if (their_len > out_size)
			must(err == XZ_ERR_NOSPACE || err == XZ_ERR_UNSUPPORTED);
		else
			must(err == XZ_ERR_UNSUPPORTED);
	}
	free(ours);
	free(theirs);
}

struct buf {
	uint8_t *p;
	size_t len;
};

static void put(struct buf *b, const void *src, size_t n)
{
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static void put_vli(struct buf *b, uint64_t v)
{
	for (; v >= 0x80; v >>= 7)
		b->p[b->len++] = (uint8_t)(v | 0x80);
	b->p[b->len++] = (uint8_t)v;
}

static void put32(struct buf *b, uint32_t v)
{
	uint8_t le[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	put(b, le, 4);
}

/* A one-block, check-less stream around LZMA2 data, which starts at *data_at. */
static size_t wrap(uint8_t *out, const uint8_t *lzma2, size_t len, uint8_t dict, bool x86,
		   uint32_t start, uint64_t uncompressed, size_t *data_at)
{
	static const uint8_t flags[2] = { 0x00, 0x00 };
	struct buf b = { out, 0 }, h = { 0 }, ix = { 0 };
	uint8_t hdr[32], index[32], footer[6];
	size_t hdr_size;

	put(&b, "\xfd" "7zXZ", 6);
	put(&b, flags, 2);
	put32(&b, crc32(0, flags, 2));

	h.p = hdr;
	h.len = 2;
	hdr[1] = x86 ? 1 : 0;
	if (x86) {
		put(&h, "\x04\x04", 2);
		put32(&h, start);
	}
	put(&h, "\x21\x01", 2);
	put(&h, &dict, 1);
	while ((h.len + 4) % 4)
		hdr[h.len++] = 0;
	hdr[0] = (uint8_t)((h.len + 4) / 4 - 1);
	put32(&h, crc32(0, hdr, h.len));
	hdr_size = h.len;
	put(&b, hdr, h.len);
	*data_at = b.len;

	put(&b, lzma2, len);
	while (b.len % 4)
		b.p[b.len++] = 0;

	ix.p = index;
	ix.p[ix.len++] = 0;
	put_vli(&ix, 1);
	put_vli(&ix, hdr_size + len);
	put_vli(&ix, uncompressed);
	while (ix.len % 4)
		ix.p[ix.len++] = 0;
	put32(&ix, crc32(0, index, ix.len));
	put(&b, index, ix.len);

	footer[0] = (uint8_t)(ix.len / 4 - 1);
	footer[1] = footer[2] = footer[3] = 0;
	footer[4] = flags[0];
	footer[5] = flags[1];
	put32(&b, crc32(0, footer, 6));
	put(&b, footer, 6);
	put(&b, "YZ", 2);
	return b.len;
}

/*
 * Raw LZMA2 (after x86 BCJ if x86) with dictionary byte `dict`, both ways.
 * hv's decoder reads on past the data into the container's padding and
 * index, which may complete a cut LZMA2 stream (00 is its end marker), so
 * liblzma is shown the same bytes: the container from the data onwards.
 */
static void compare_raw(const uint8_t *data, size_t size, uint8_t dict, bool x86, uint32_t start)
{
	lzma_options_lzma lz = { .dict_size = (2u | (dict & 1)) << (dict / 2 + 11) };
	lzma_options_bcj bcj = { .start_offset = start };
	lzma_filter filters[3];
	uint8_t *theirs = malloc(OUT_MAX), *ours = malloc(OUT_MAX);
	uint8_t *file = malloc(size + 64), *fixed = malloc(size + 128);
	size_t in_pos = 0, their_len = 0, n = 0, at, fixed_at;
	struct xz_result res;
	lzma_ret r;
	int err;

	if (x86)
		filters[n++] = (lzma_filter){ LZMA_FILTER_X86, &bcj };
	filters[n++] = (lzma_filter){ LZMA_FILTER_LZMA2, &lz };
	filters[n] = (lzma_filter){ LZMA_VLI_UNKNOWN, NULL };

	/* The data with an index that cannot match (it says 0 bytes out). */
	n = wrap(file, data, size, dict, x86, start, 0, &at);
	r = lzma_raw_buffer_decode(filters, NULL, file + at, &in_pos, n - at, theirs, &their_len,
				   OUT_MAX);
	if (r == LZMA_OK) {
		/* liblzma's stream ends at in_pos: a container that says so. */
		n = wrap(fixed, file + at, in_pos, dict, x86, start, their_len, &fixed_at);
		err = xz_decode(fixed, n, ours, OUT_MAX, scratch, &res);
		check_result(err, &res, n, OUT_MAX);
		must(err == XZ_OK && res.out_len == their_len);
		must(!memcmp(ours, theirs, their_len));
	} else if (r == LZMA_DATA_ERROR) {
		/* Bad data: hv must refuse the data itself, not reach the index. */
		err = xz_decode(file, n, ours, OUT_MAX, scratch, &res);
		check_result(err, &res, n, OUT_MAX);
		must(err != XZ_OK && strcmp(res.reason, "index does not match the blocks"));
	}
	free(fixed);
	free(ours);
	free(file);
	free(theirs);
}

/*
 * The dictionary byte from the input (4-48 KiB), and 4 KiB every time:
 * the smallest dictionary is where its limit binds most often.
 */
static void fuzz_raw(const uint8_t *data, size_t size, bool x86)
{
	uint32_t start = 0;
	uint8_t dict;

	if (size < 1 + (x86 ? 4 : 0))
		return;
	dict = data[0] % 8;
	data++, size--;
	if (x86) {
		memcpy(&start, data, 4);
		data += 4, size -= 4;
	}
	compare_raw(data, size, dict, x86, start);
	if (dict)
		compare_raw(data, size, 0, x86, start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!scratch)
		scratch = malloc(XZ_SCRATCH_SIZE);
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_file(data + 1, size - 1);
		break;
	case 1:
		fuzz_raw(data + 1, size - 1, false);
		break;
	case 2:
		fuzz_raw(data + 1, size - 1, true);
		break;
	}
	return 0;
}
