/*
 * Decoding .xz data in one call: the whole compressed input is in memory,
 * and the output goes to one buffer that is also the LZMA2 dictionary, so
 * the decoder allocates nothing and copies nothing twice. This is what hv
 * needs to unpack a Linux bzImage, whose payload is an .xz stream made by
 * `xz --check=crc32 --x86 --lzma2`.
 *
 * Supported: concatenated streams and stream padding, any number of
 * blocks, block headers with or without size fields, the index (checked
 * against the blocks), filter chains LZMA2 or x86 BCJ + LZMA2 (with or
 * without a BCJ start offset), and the check types none, CRC32 and CRC64,
 * which are verified. SHA-256 and the check IDs the format reserves are
 * refused (XZ_ERR_UNSUPPORTED): hv could not tell a damaged kernel from a
 * good one, and kernels use CRC32. So are the other filters (delta, the
 * BCJ filters of other CPUs) and anything the format marks as reserved.
 *
 * Matches may reach back over the block's output so far, and no further
 * than the dictionary size the block header declares (rounded as liblzma
 * does): an encoder never goes beyond it, so a match that does marks
 * damaged data, even though in single-call mode the bytes are there.
 *
 * Every input is safe: each error is one of the codes below, with a short
 * English reason; the decoder reads only in[0, in_size), writes only
 * out[0, out_size), and its work is bounded by the input and output sizes.
 */
#ifndef HV_XZ_H
#define HV_XZ_H

#include <hv/types.h>

enum xz_error {
	XZ_OK = 0,
	XZ_ERR_FORMAT,		/* not .xz data: no stream header magic */
	XZ_ERR_TRUNCATED,	/* the input ends before the data does */
	XZ_ERR_CORRUPT,		/* malformed headers, index, padding or LZMA2 data */
	XZ_ERR_CHECK,		/* a CRC32/CRC64 (header, index or data) does not match */
	XZ_ERR_UNSUPPORTED,	/* valid .xz this decoder does not handle (filter, check) */
	XZ_ERR_NOSPACE,		/* the output does not fit in out_size bytes */
};

struct xz_result {
	size_t in_pos;		/* input consumed; on error, where it was found */
	size_t out_len;		/* bytes written to the output */
	const char *reason;	/* "" on success, else e.g. "CRC32 of block data mismatch" */
};

/*
 * Working memory: the LZMA probability model and decoder state. The
 * caller provides XZ_SCRATCH_SIZE bytes, 8-byte aligned, from an allocator
 * (hv: xmalloc), so that the decoder needs no allocator and little stack.
 */
#define XZ_SCRATCH_SIZE (30 * 1024)

/*
 * Decode the .xz file in[0, in_size) — one or more streams, each optionally
 * followed by stream padding, nothing else — into out[0, out_size).
 * Returns XZ_OK or an enum xz_error; *res is filled either way.
 */
int xz_decode(const void *in, size_t in_size, void *out, size_t out_size, void *scratch,
	      struct xz_result *res);

/* "truncated input", "corrupt data", ... for an enum xz_error value. */
const char *xz_error_name(int err);

#endif
