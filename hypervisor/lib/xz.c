/*
 * The .xz container, single-call (see <hv/xz.h> for what is supported).
 *
 * A file is one or more streams, each optionally followed by stream
 * padding (zero bytes, a multiple of four). A stream is
 *
 *   header   FD '7zXZ' 00, flags (00, check type), CRC32 of the flags
 *   blocks   each: header (size byte, flags, optional compressed and
 *            uncompressed sizes, filter chain, zero padding, CRC32),
 *            compressed data, zero padding to four bytes, check of the
 *            uncompressed data (0, 4 or 8 bytes here)
 *   index    00, record count, per block (unpadded size, uncompressed
 *            size), zero padding to four bytes, CRC32
 *   footer   CRC32, backward size (index size / 4 - 1), flags, 'YZ'
 *
 * Sizes and counts are variable-length integers: 7 bits a byte, low bits
 * first, top bit set on all but the last byte, at most 9 bytes, and no
 * needless trailing zero byte.
 *
 * The decoder walks forward. Each block's (unpadded, uncompressed) sizes
 * are folded into a summary (count, sums and a CRC32 of the pairs) which
 * the index must reproduce, so nothing has to be remembered per block.
 */
#include <hv/crc.h>
#include <hv/lib.h>
#include <hv/xz.h>

#include "xz_private.h"

#define STREAM_HEADER_SIZE 12
#define STREAM_FOOTER_SIZE 12
#define VLI_BYTES_MAX 9
#define FILTERS_MAX 4

#define CHECK_NONE 0x00
#define CHECK_CRC32 0x01
#define CHECK_CRC64 0x04
#define CHECK_SHA256 0x0a

#define FILTER_X86 0x04
#define FILTER_LZMA2 0x21

#define BLOCK_FLAG_FILTERS 0x03		/* number of filters - 1 */
#define BLOCK_FLAG_RESERVED 0x3c
#define BLOCK_FLAG_COMPRESSED 0x40	/* compressed size present */
#define BLOCK_FLAG_UNCOMPRESSED 0x80	/* uncompressed size present */

static const uint8_t header_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
static const uint8_t footer_magic[2] = { 'Y', 'Z' };

struct block_summary {
	uint64_t count, unpadded, uncompressed;
	uint32_t crc;
};

struct xz {
	const uint8_t *in;
	size_t in_size, in_pos;
	uint8_t *out;
	size_t out_size, out_pos;
	struct lzma2_dec *lzma2;
	const char *reason;
	uint8_t flags[2];		/* this stream's flags */
	unsigned int check_size;
	struct block_summary blocks;	/* as decoded */
};

static int fail(struct xz *x, int err, const char *reason)
{
	x->reason = reason;
	return err;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static size_t in_left(const struct xz *x)
{
	return x->in_size - x->in_pos;
}

/*
 * A variable-length integer from p[0, avail). Returns its length, or 0
 * if it runs past avail (*bad = false) or is malformed (*bad = true).
 */
static size_t read_vli(const uint8_t *p, size_t avail, uint64_t *val, bool *bad)
{
	uint64_t v = 0;

	*bad = false;
	for (size_t i = 0; i < VLI_BYTES_MAX; i++) {
		if (i == avail)
			return 0;
		v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			if (i > 0 && p[i] == 0x00) {
				*bad = true;	/* a needless trailing zero byte */
				return 0;
			}
			*val = v;
			return i + 1;
		}
	}
	*bad = true;			/* more than 9 bytes */
	return 0;
}

static void summary_add(struct block_summary *s, uint64_t unpadded, uint64_t uncompressed)
{
	uint8_t pair[16];

	for (unsigned int i = 0; i < 8; i++) {
		pair[i] = (uint8_t)(unpadded >> (8 * i));
		pair[8 + i] = (uint8_t)(uncompressed >> (8 * i));
	}
	s->count++;
	s->unpadded += unpadded;
	s->uncompressed += uncompressed;
	s->crc = crc32(s->crc, pair, sizeof(pair));
}

static int read_stream_header(struct xz *x, bool first)
{
	const uint8_t *h = x->in + x->in_pos;
	unsigned int check;

	if (in_left(x) < sizeof(header_magic) || memcmp(h, header_magic, sizeof(header_magic)))
		return first ? fail(x, XZ_ERR_FORMAT, "not XZ data (no stream header magic)")
			     : fail(x, XZ_ERR_CORRUPT, "garbage after the last XZ stream");
	if (in_left(x) < STREAM_HEADER_SIZE)
		return fail(x, XZ_ERR_TRUNCATED, "stream header cut short");
	if (crc32(0, h + 6, 2) != le32(h + 8))
		return fail(x, XZ_ERR_CHECK, "stream header CRC32 mismatch");
	if (h[6] != 0 || (h[7] & 0xf0))
		return fail(x, XZ_ERR_UNSUPPORTED, "stream flags use reserved bits");
	check = h[7] & 0x0f;
	switch (check) {
	case CHECK_NONE:
		x->check_size = 0;
		break;
	case CHECK_CRC32:
		x->check_size = 4;
		break;
	case CHECK_CRC64:
		x->check_size = 8;
		break;
	case CHECK_SHA256:
		return fail(x, XZ_ERR_UNSUPPORTED, "SHA-256 check not supported (use CRC32 or CRC64)");
	default:
		return fail(x, XZ_ERR_UNSUPPORTED, "unknown check type");
	}
	x->flags[0] = h[6];
	x->flags[1] = h[7];
	memset(&x->blocks, 0, sizeof(x->blocks));
	x->in_pos += STREAM_HEADER_SIZE;
	return XZ_OK;
}

/* The name of a filter ID this decoder does not run, for the message. */
static const char *unsupported_filter(uint64_t id)
{
	switch (id) {
	case 0x03: return "delta filter not supported";
	case 0x05: return "PowerPC BCJ filter not supported";
	case 0x06: return "IA-64 BCJ filter not supported";
	case 0x07: return "ARM BCJ filter not supported";
	case 0x08: return "ARM-Thumb BCJ filter not supported";
	case 0x09: return "SPARC BCJ filter not supported";
	case 0x0a: return "ARM64 BCJ filter not supported";
	case 0x0b: return "RISC-V BCJ filter not supported";
	default: return "unknown filter";
	}
}

struct block_header {
	size_t size;			/* of the header itself */
	bool has_compressed, has_uncompressed;
	uint64_t compressed, uncompressed;
	bool x86;			/* x86 BCJ before LZMA2 */
	uint32_t x86_start;
	uint64_t dict_size;		/* LZMA2's, as decoders round it */
};

/*
 * The LZMA2 dictionary size from its property byte: 2 or 3 times a power
 * of two, from 4 KiB up to 3 GiB, and 40 for 4 GiB - 1, which decoders
 * (liblzma) round up to a multiple of 16.
 */
static uint64_t lzma2_dict_size(uint8_t prop)
{
	uint64_t size = prop == 40 ? 0xffffffffu : (uint64_t)(2 | (prop & 1)) << (prop / 2 + 11);

	return ALIGN_UP(size, 16);
}

/* The filter chain: [x86 BCJ,] LZMA2. p/end: the header's filter flags. */
static int read_filters(struct xz *x, const uint8_t **pp, const uint8_t *end,
			unsigned int nr, struct block_header *bh)
{
	const uint8_t *p = *pp;

	for (unsigned int i = 0; i < nr; i++) {
		bool last = i == nr - 1, bad;
		uint64_t id, props_size;
		size_t n;

		n = read_vli(p, (size_t)(end - p), &id, &bad);
		if (!n)
			return fail(x, XZ_ERR_CORRUPT, "block header: malformed filter ID");
		p += n;
		n = read_vli(p, (size_t)(end - p), &props_size, &bad);
		if (!n)
			return fail(x, XZ_ERR_CORRUPT, "block header: malformed filter properties size");
		p += n;
		if (props_size > (size_t)(end - p))
			return fail(x, XZ_ERR_CORRUPT, "block header: filter properties overrun the header");

		if (id == FILTER_LZMA2) {
			if (!last)
				return fail(x, XZ_ERR_CORRUPT, "block header: LZMA2 is not the last filter");
			if (props_size != 1)
				return fail(x, XZ_ERR_CORRUPT, "block header: LZMA2 properties are not one byte");
			if (p[0] > 40)
				return fail(x, XZ_ERR_UNSUPPORTED, "block header: invalid LZMA2 dictionary size");
			bh->dict_size = lzma2_dict_size(p[0]);
		} else if (id == FILTER_X86) {
			if (last)
				return fail(x, XZ_ERR_CORRUPT, "block header: x86 BCJ is the last filter");
			if (i != nr - 2)
				return fail(x, XZ_ERR_UNSUPPORTED,
					    "filter chain not supported (only LZMA2, or x86 BCJ + LZMA2)");
			if (props_size != 0 && props_size != 4)
				return fail(x, XZ_ERR_UNSUPPORTED, "block header: x86 BCJ properties not understood");
			bh->x86 = true;
			bh->x86_start = props_size ? le32(p) : 0;
		} else {
			return fail(x, XZ_ERR_UNSUPPORTED, unsupported_filter(id));
		}
		p += props_size;
	}
	*pp = p;
	return XZ_OK;
}

static int read_block_header(struct xz *x, struct block_header *bh)
{
	const uint8_t *h = x->in + x->in_pos, *p, *end;
	unsigned int flags;
	uint64_t v;
	size_t n;
	bool bad;
	int err;

	memset(bh, 0, sizeof(*bh));
	bh->size = ((size_t)h[0] + 1) * 4;
	if (in_left(x) < bh->size)
		return fail(x, XZ_ERR_TRUNCATED, "block header cut short");
	if (crc32(0, h, bh->size - 4) != le32(h + bh->size - 4))
		return fail(x, XZ_ERR_CHECK, "block header CRC32 mismatch");
	flags = h[1];
	if (flags & BLOCK_FLAG_RESERVED)
		return fail(x, XZ_ERR_UNSUPPORTED, "block header flags use reserved bits");
	p = h + 2;
	end = h + bh->size - 4;
	if (flags & BLOCK_FLAG_COMPRESSED) {
		n = read_vli(p, (size_t)(end - p), &v, &bad);
		if (!n || v == 0)
			return fail(x, XZ_ERR_CORRUPT, "block header: malformed compressed size");
		bh->has_compressed = true;
		bh->compressed = v;
		p += n;
	}
	if (flags & BLOCK_FLAG_UNCOMPRESSED) {
		n = read_vli(p, (size_t)(end - p), &v, &bad);
		if (!n)
			return fail(x, XZ_ERR_CORRUPT, "block header: malformed uncompressed size");
		bh->has_uncompressed = true;
		bh->uncompressed = v;
		p += n;
	}
	err = read_filters(x, &p, end, (flags & BLOCK_FLAG_FILTERS) + 1, bh);
	if (err)
		return err;
	for (; p < end; p++)
		if (*p)
			return fail(x, XZ_ERR_UNSUPPORTED, "block header has unknown data after the filters");
	x->in_pos += bh->size;
	return XZ_OK;
}

static int verify_check(struct xz *x, const uint8_t *data, size_t len)
{
	const uint8_t *stored = x->in + x->in_pos;

	if (in_left(x) < x->check_size)
		return fail(x, XZ_ERR_TRUNCATED, "block check cut short");
	switch (x->check_size) {
	case 4:
		if (crc32(0, data, len) != le32(stored))
			return fail(x, XZ_ERR_CHECK, "CRC32 of block data mismatch");
		break;
	case 8:
		if (crc64(0, data, len) != le64(stored))
			return fail(x, XZ_ERR_CHECK, "CRC64 of block data mismatch");
		break;
	}
	x->in_pos += x->check_size;
	return XZ_OK;
}

static int decode_block(struct xz *x)
{
	struct block_header bh;
	size_t data_start, out_start = x->out_pos;
	uint64_t compressed, uncompressed;
	int err;

	err = read_block_header(x, &bh);
	if (err)
		return err;

	data_start = x->in_pos;
	lzma2_reset(x->lzma2, bh.dict_size);
	err = lzma2_decode(x->lzma2, x->in, x->in_size, &x->in_pos, x->out, x->out_size,
			   &x->out_pos, &x->reason);
	if (err)
		return err;
	compressed = x->in_pos - data_start;
	uncompressed = x->out_pos - out_start;
	if (bh.has_compressed && compressed != bh.compressed)
		return fail(x, XZ_ERR_CORRUPT, "compressed size differs from the block header's");
	if (bh.has_uncompressed && uncompressed != bh.uncompressed)
		return fail(x, XZ_ERR_CORRUPT, "uncompressed size differs from the block header's");
	if (bh.x86)
		bcj_x86_decode(x->out + out_start, uncompressed, bh.x86_start);

	while (x->in_pos & 3) {
		if (!in_left(x))
			return fail(x, XZ_ERR_TRUNCATED, "block padding cut short");
		if (x->in[x->in_pos++])
			return fail(x, XZ_ERR_CORRUPT, "block padding is not zero");
	}
	err = verify_check(x, x->out + out_start, uncompressed);
	if (err)
		return err;
	summary_add(&x->blocks, bh.size + compressed + x->check_size, uncompressed);
	return XZ_OK;
}

/* Returns the index's size in *size. */
static int read_index(struct xz *x, size_t *size)
{
	size_t start = x->in_pos, n;
	struct block_summary listed = { 0 };
	uint64_t count, unpadded, uncompressed;
	bool bad;

	x->in_pos++;			/* the index indicator, 00 */
	n = read_vli(x->in + x->in_pos, in_left(x), &count, &bad);
	if (!n)
		return bad ? fail(x, XZ_ERR_CORRUPT, "index: malformed record count")
			   : fail(x, XZ_ERR_TRUNCATED, "index cut short");
	x->in_pos += n;
	if (count != x->blocks.count)
		return fail(x, XZ_ERR_CORRUPT, "index: number of records differs from the blocks");
	for (uint64_t i = 0; i < count; i++) {
		n = read_vli(x->in + x->in_pos, in_left(x), &unpadded, &bad);
		if (n) {
			x->in_pos += n;
			n = read_vli(x->in + x->in_pos, in_left(x), &uncompressed, &bad);
		}
		if (!n)
			return bad ? fail(x, XZ_ERR_CORRUPT, "index: malformed record")
				   : fail(x, XZ_ERR_TRUNCATED, "index cut short");
		x->in_pos += n;
		summary_add(&listed, unpadded, uncompressed);
	}
	while ((x->in_pos - start) & 3) {
		if (!in_left(x))
			return fail(x, XZ_ERR_TRUNCATED, "index cut short");
		if (x->in[x->in_pos++])
			return fail(x, XZ_ERR_CORRUPT, "index padding is not zero");
	}
	if (in_left(x) < 4)
		return fail(x, XZ_ERR_TRUNCATED, "index cut short");
	if (crc32(0, x->in + start, x->in_pos - start) != le32(x->in + x->in_pos))
		return fail(x, XZ_ERR_CHECK, "index CRC32 mismatch");
	x->in_pos += 4;
	if (listed.unpadded != x->blocks.unpadded || listed.uncompressed != x->blocks.uncompressed ||
	    listed.crc != x->blocks.crc)
		return fail(x, XZ_ERR_CORRUPT, "index does not match the blocks");
	*size = x->in_pos - start;
	return XZ_OK;
}

static int read_stream_footer(struct xz *x, size_t index_size)
{
	const uint8_t *f = x->in + x->in_pos;

	if (in_left(x) < STREAM_FOOTER_SIZE)
		return fail(x, XZ_ERR_TRUNCATED, "stream footer cut short");
	if (memcmp(f + 10, footer_magic, sizeof(footer_magic)))
		return fail(x, XZ_ERR_CORRUPT, "no stream footer after the index");
	if (crc32(0, f + 4, 6) != le32(f))
		return fail(x, XZ_ERR_CHECK, "stream footer CRC32 mismatch");
	if (((uint64_t)le32(f + 4) + 1) * 4 != index_size)
		return fail(x, XZ_ERR_CORRUPT, "stream footer: backward size differs from the index");
	if (memcmp(f + 8, x->flags, sizeof(x->flags)))
		return fail(x, XZ_ERR_CORRUPT, "stream footer flags differ from the header's");
	x->in_pos += STREAM_FOOTER_SIZE;
	return XZ_OK;
}

static int decode_stream(struct xz *x, bool first)
{
	size_t index_size;
	int err;

	err = read_stream_header(x, first);
	if (err)
		return err;
	for (;;) {
		if (!in_left(x))
			return fail(x, XZ_ERR_TRUNCATED, "stream ends before its index");
		if (x->in[x->in_pos] == 0x00)
			break;			/* the index indicator */
		err = decode_block(x);
		if (err)
			return err;
	}
	err = read_index(x, &index_size);
	if (err)
		return err;
	return read_stream_footer(x, index_size);
}

int xz_decode(const void *in, size_t in_size, void *out, size_t out_size, void *scratch,
	      struct xz_result *res)
{
	struct xz x = {
		.in = in, .in_size = in_size,
		.out = out, .out_size = out_size,
		.lzma2 = scratch,
		.reason = "",
	};
	int err = XZ_OK;
	bool first = true;

	if (!in_size)
		err = fail(&x, XZ_ERR_TRUNCATED, "empty input");
	while (!err && in_left(&x)) {
		size_t padding;

		err = decode_stream(&x, first);
		if (err)
			break;
		first = false;
		padding = x.in_pos;
		while (in_left(&x) && x.in[x.in_pos] == 0x00)
			x.in_pos++;
		if ((x.in_pos - padding) & 3)
			err = fail(&x, XZ_ERR_CORRUPT, "stream padding is not a multiple of four bytes");
	}
	res->in_pos = x.in_pos;
	res->out_len = x.out_pos;
	res->reason = x.reason;
	return err;
}

const char *xz_error_name(int err)
{
	switch (err) {
	case XZ_OK: return "success";
	case XZ_ERR_FORMAT: return "not XZ data";
	case XZ_ERR_TRUNCATED: return "truncated input";
	case XZ_ERR_CORRUPT: return "corrupt data";
	case XZ_ERR_CHECK: return "integrity check failed";
	case XZ_ERR_UNSUPPORTED: return "unsupported options";
	case XZ_ERR_NOSPACE: return "output too large";
	default: return "unknown error";
	}
}
