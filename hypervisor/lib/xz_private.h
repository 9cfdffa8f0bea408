/*
 * Between the .xz container (xz.c) and the filters it runs: LZMA2
 * (xz_lzma2.c) and the x86 BCJ filter (xz_bcj.c). Not for other users;
 * they call xz_decode() (<hv/xz.h>).
 */
#ifndef HV_XZ_PRIVATE_H
#define HV_XZ_PRIVATE_H

#include <hv/types.h>
#include <hv/xz.h>

struct lzma2_dec;

/*
 * A new LZMA2 stream (one per block): it must start with a dictionary
 * reset, and no match may reach back further than dict_size bytes.
 */
void lzma2_reset(struct lzma2_dec *s, uint64_t dict_size);

/*
 * Decode one LZMA2 stream, up to and including its end marker, from
 * in[*in_pos, in_size) into out[*out_pos, out_size). The dictionary starts
 * at *out_pos (and again at each dictionary reset). Both positions advance
 * as far as decoding got, also on error. Returns XZ_OK or an enum xz_error
 * with *reason set.
 */
int lzma2_decode(struct lzma2_dec *s, const uint8_t *in, size_t in_size, size_t *in_pos,
		 uint8_t *out, size_t out_size, size_t *out_pos, const char **reason);

/*
 * Undo the x86 BCJ filter in place over all of a block's output: buf is
 * the whole block, `start` the filter's start offset (0 unless the block
 * header gives one).
 */
void bcj_x86_decode(uint8_t *buf, size_t size, uint32_t start);

#endif
