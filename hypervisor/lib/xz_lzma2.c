/*
 * LZMA2 decoding, single-call: the output buffer is the dictionary.
 *
 * An LZMA2 stream is a sequence of chunks, each introduced by a control
 * byte:
 *
 *   0x00              end of the stream
 *   0x01, 0x02        stored chunk (with, without dictionary reset):
 *                     u16 BE size - 1, then the bytes
 *   0x80 | r<<5 | u   LZMA chunk: u = bits 16-20 of (unpacked size - 1),
 *                     then u16 BE unpacked size - 1 (low bits), u16 BE
 *                     packed size - 1, and, when r >= 2, a properties byte
 *                     (pb * 5 + lp) * 9 + lc. r: 0 = carry on, 1 = reset
 *                     the LZMA state, 2 = also new properties, 3 = also
 *                     reset the dictionary.
 *   anything else     invalid
 *
 * The first chunk must reset the dictionary, and after a dictionary reset
 * the first LZMA chunk must bring properties. Each LZMA chunk is its own
 * range-coded unit: the range decoder starts afresh on its first byte,
 * and the chunk must end exactly at a symbol boundary, with all its packed
 * bytes used and the range decoder's code back at zero.
 *
 * Inside an LZMA chunk, symbols are decoded with adaptive binary
 * probabilities (11-bit, moved 1/32 of the way after each bit). Each
 * symbol is a literal byte or a match (length 2-273, distance) that copies
 * earlier output; four recent distances (rep0-rep3) can be reused cheaply,
 * and a 12-value state remembers what kinds of symbols came last. The
 * probability tables are indexed by the state, by the low pb bits of the
 * position ("pos_state"), and for literals by the low lp bits of the
 * position and the top lc bits of the previous byte. Positions count from
 * the last dictionary reset.
 *
 * Safety: every match is checked against the bytes decoded since the
 * dictionary reset and against the end of its chunk before a byte is
 * copied; the range decoder never reads past its chunk (it sees zeros and
 * the chunk then fails); every loop produces output or consumes input, and
 * both are bounded.
 */
#include <hv/lib.h>
#include <hv/xz.h>

#include "xz_private.h"

#define PROB_BITS 11
#define PROB_ONE (1u << PROB_BITS)
#define PROB_INIT (PROB_ONE / 2)
#define PROB_SHIFT 5		/* adaptation speed */
#define RC_TOP (1u << 24)	/* renormalise below this range */
#define RC_INIT_BYTES 5

#define NR_STATES 12
#define NR_LIT_STATES 7		/* states 0-6: the last symbol was a literal */
#define POS_STATES_MAX (1 << 4)	/* pb <= 4 */
#define LC_LP_MAX 4		/* LZMA2: lc + lp <= 4 */
#define LITERAL_PROBS 0x300	/* per literal coder: 3 trees of 256 */

#define MATCH_LEN_MIN 2
#define LEN_LOW_BITS 3
#define LEN_MID_BITS 3
#define LEN_HIGH_BITS 8

#define DIST_STATES 4		/* distance trees by match length 2, 3, 4, 5+ */
#define DIST_SLOT_BITS 6
#define DIST_MODEL_START 4	/* slots below are the distance itself */
#define DIST_MODEL_END 14	/* slots from here use direct bits + align */
#define FULL_DISTANCES (1 << (DIST_MODEL_END / 2))
#define ALIGN_BITS 4

typedef uint16_t prob_t;

struct len_probs {
	prob_t choice;			/* 0: low tree */
	prob_t choice2;			/* 0: mid tree, 1: high tree */
	prob_t low[POS_STATES_MAX][1 << LEN_LOW_BITS];
	prob_t mid[POS_STATES_MAX][1 << LEN_MID_BITS];
	prob_t high[1 << LEN_HIGH_BITS];
};

/* Every member is an array of prob_t, so a reset can treat it as one. */
struct lzma_probs {
	prob_t is_match[NR_STATES][POS_STATES_MAX];
	prob_t is_rep[NR_STATES];
	prob_t is_rep0[NR_STATES];
	prob_t is_rep1[NR_STATES];
	prob_t is_rep2[NR_STATES];
	prob_t is_rep0_long[NR_STATES][POS_STATES_MAX];
	prob_t dist_slot[DIST_STATES][1 << DIST_SLOT_BITS];
	/* Reverse trees of slots 4-13, indexed from 1 at base (distance - slot). */
	prob_t dist_special[FULL_DISTANCES - DIST_MODEL_END + 1];
	prob_t dist_align[1 << ALIGN_BITS];
	struct len_probs match_len;
	struct len_probs rep_len;
	prob_t literal[(1 << LC_LP_MAX) * LITERAL_PROBS];
};

struct lzma2_dec {
	struct lzma_probs probs;
	unsigned int lc, lp, pb;	/* current properties */
	unsigned int state;
	uint32_t rep[4];
	size_t dict_start;		/* output position of the last dictionary reset */
	uint64_t dict_size;		/* farthest a match may reach back */
	bool need_dict_reset;		/* nothing decoded yet */
	bool need_props;		/* no properties since the dictionary reset */
};

_Static_assert(sizeof(struct lzma2_dec) <= XZ_SCRATCH_SIZE, "XZ_SCRATCH_SIZE too small");

/* The range decoder of one LZMA chunk. */
struct rc {
	uint32_t range, code;
	const uint8_t *in, *end;
	bool overrun;			/* wanted bytes past the chunk */
};

static inline void rc_normalize(struct rc *rc)
{
	if (rc->range < RC_TOP) {
		rc->range <<= 8;
		rc->code <<= 8;
		if (likely(rc->in < rc->end))
			rc->code |= *rc->in++;
		else
			rc->overrun = true;
	}
}

static inline unsigned int rc_bit(struct rc *rc, prob_t *p)
{
	uint32_t bound;

	rc_normalize(rc);
	bound = (rc->range >> PROB_BITS) * *p;
	if (rc->code < bound) {
		rc->range = bound;
		*p = (prob_t)(*p + ((PROB_ONE - *p) >> PROB_SHIFT));
		return 0;
	}
	rc->range -= bound;
	rc->code -= bound;
	*p = (prob_t)(*p - (*p >> PROB_SHIFT));
	return 1;
}

/* n bits with probability one half each, most significant first. */
static inline uint32_t rc_direct(struct rc *rc, unsigned int n)
{
	uint32_t v = 0;

	while (n--) {
		rc_normalize(rc);
		rc->range >>= 1;
		v <<= 1;
		if (rc->code >= rc->range) {
			rc->code -= rc->range;
			v |= 1;
		}
	}
	return v;
}

/* A bits-wide symbol from a tree of 2^bits probabilities, top bit first. */
static inline unsigned int rc_tree(struct rc *rc, prob_t *probs, unsigned int bits)
{
	unsigned int node = 1;

	while (node < (1u << bits))
		node = (node << 1) | rc_bit(rc, &probs[node]);
	return node - (1u << bits);
}

/* The same, low bit first (distances' low bits). */
static inline unsigned int rc_tree_reverse(struct rc *rc, prob_t *probs, unsigned int bits)
{
	unsigned int node = 1, sym = 0;

	for (unsigned int i = 0; i < bits; i++) {
		unsigned int bit = rc_bit(rc, &probs[node]);

		node = (node << 1) | bit;
		sym |= bit << i;
	}
	return sym;
}

static inline __attribute__((always_inline)) unsigned int decode_len(struct rc *rc, struct len_probs *l, unsigned int pos_state)
{
	if (!rc_bit(rc, &l->choice))
		return MATCH_LEN_MIN + rc_tree(rc, l->low[pos_state], LEN_LOW_BITS);
	if (!rc_bit(rc, &l->choice2))
		return MATCH_LEN_MIN + (1 << LEN_LOW_BITS) +
		       rc_tree(rc, l->mid[pos_state], LEN_MID_BITS);
	return MATCH_LEN_MIN + (1 << LEN_LOW_BITS) + (1 << LEN_MID_BITS) +
	       rc_tree(rc, l->high, LEN_HIGH_BITS);
}

/* A match's distance minus one, given its length. */
static inline uint32_t decode_dist(struct rc *rc, struct lzma_probs *p, unsigned int len)
{
	unsigned int len_state = MIN(len - MATCH_LEN_MIN, DIST_STATES - 1u);
	unsigned int slot = rc_tree(rc, p->dist_slot[len_state], DIST_SLOT_BITS);
	unsigned int footer;
	uint32_t dist;

	if (slot < DIST_MODEL_START)
		return slot;
	/* Slot s: the top two bits are 1 and bit 0 of s, then `footer` more bits. */
	footer = (slot >> 1) - 1;
	dist = (2u | (slot & 1)) << footer;
	if (slot < DIST_MODEL_END)
		return dist + rc_tree_reverse(rc, p->dist_special + dist - slot, footer);
	dist += rc_direct(rc, footer - ALIGN_BITS) << ALIGN_BITS;
	return dist + rc_tree_reverse(rc, p->dist_align, ALIGN_BITS);
}

static void lzma_state_reset(struct lzma2_dec *s)
{
	prob_t *p = (prob_t *)&s->probs;
	/* Only the literal coders the current lc + lp use need resetting. */
	size_t n = offsetof(struct lzma_probs, literal) / sizeof(prob_t) +
		   ((size_t)LITERAL_PROBS << (s->lc + s->lp));

	for (size_t i = 0; i < n; i++)
		p[i] = PROB_INIT;
	s->state = 0;
	s->rep[0] = s->rep[1] = s->rep[2] = s->rep[3] = 0;
}

void lzma2_reset(struct lzma2_dec *s, uint64_t dict_size)
{
	s->dict_size = dict_size;
	s->need_dict_reset = true;
	s->need_props = true;
	s->dict_start = 0;
}

/*
 * One LZMA chunk: exactly `unpacked` bytes at out[*out_pos] from exactly
 * `packed` bytes at in. The hot loop: state, reps and the range decoder
 * live in locals.
 */
static int lzma_chunk(struct lzma2_dec *s, const uint8_t *in, size_t packed, size_t *in_used,
		      uint8_t *out, size_t *out_pos, size_t unpacked, const char **reason)
{
	struct lzma_probs *p = &s->probs;
	const size_t dict_start = s->dict_start;
	const uint64_t dict_size = s->dict_size;
	const unsigned int lc = s->lc;
	const size_t lp_mask = (1u << s->lp) - 1, pb_mask = (1u << s->pb) - 1;
	size_t pos = *out_pos;
	const size_t end = pos + unpacked;
	unsigned int state = s->state;
	uint32_t rep0 = s->rep[0], rep1 = s->rep[1], rep2 = s->rep[2], rep3 = s->rep[3];
	struct rc rc;
	int err = XZ_OK;

	*in_used = 0;
	if (packed < RC_INIT_BYTES || in[0] != 0) {
		*reason = "LZMA chunk does not start a range coder";
		return XZ_ERR_CORRUPT;
	}
	rc.range = 0xffffffff;
	rc.code = (uint32_t)in[1] << 24 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 8 | in[4];
	rc.in = in + RC_INIT_BYTES;
	rc.end = in + packed;
	rc.overrun = false;

	while (pos < end && !rc.overrun) {
		size_t done = pos - dict_start;		/* bytes in the dictionary */
		unsigned int pos_state = done & pb_mask;
		unsigned int len;

		if (!rc_bit(&rc, &p->is_match[state][pos_state])) {
			unsigned int prev = done ? out[pos - 1] : 0;
			prob_t *lit = p->literal +
				LITERAL_PROBS * (((done & lp_mask) << lc) + (prev >> (8 - lc)));
			unsigned int sym = 1;

			if (state >= NR_LIT_STATES) {
				/*
				 * After a match, the byte at rep0 predicts this one
				 * bit by bit, until the first bit that differs.
				 */
				unsigned int match_byte;

				if (rep0 >= done) {
					err = XZ_ERR_CORRUPT;
					*reason = "LZMA literal refers to data before the dictionary";
					break;
				}
				match_byte = out[pos - rep0 - 1];
				do {
					unsigned int mbit = (match_byte >> 7) & 1;
					unsigned int bit;

					match_byte <<= 1;
					bit = rc_bit(&rc, &lit[((1 + mbit) << 8) + sym]);
					sym = (sym << 1) | bit;
					if (bit != mbit)
						break;
				} while (sym < 0x100);
			}
			while (sym < 0x100)
				sym = (sym << 1) | rc_bit(&rc, &lit[sym]);
			out[pos++] = (uint8_t)sym;
			state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
			continue;
		}

		if (!rc_bit(&rc, &p->is_rep[state])) {
			/* A new distance. */
			rep3 = rep2;
			rep2 = rep1;
			rep1 = rep0;
			len = decode_len(&rc, &p->match_len, pos_state);
			state = state < NR_LIT_STATES ? 7 : 10;
			rep0 = decode_dist(&rc, p, len);
		} else if (!rc_bit(&rc, &p->is_rep0[state])) {
			if (!rc_bit(&rc, &p->is_rep0_long[state][pos_state])) {
				/* "Short rep": one byte from rep0. */
				state = state < NR_LIT_STATES ? 9 : 11;
				len = 1;
			} else {
				len = decode_len(&rc, &p->rep_len, pos_state);
				state = state < NR_LIT_STATES ? 8 : 11;
			}
		} else {
			/* rep1-rep3 moves to the front. */
			uint32_t dist;

			if (!rc_bit(&rc, &p->is_rep1[state])) {
				dist = rep1;
			} else {
				if (!rc_bit(&rc, &p->is_rep2[state])) {
					dist = rep2;
				} else {
					dist = rep3;
					rep3 = rep2;
				}
				rep2 = rep1;
			}
			rep1 = rep0;
			rep0 = dist;
			len = decode_len(&rc, &p->rep_len, pos_state);
			state = state < NR_LIT_STATES ? 8 : 11;
		}

		/* Distance rep0 + 1 must lie inside the dictionary (this also
		 * rejects LZMA's end marker, distance 2^32, which LZMA2 forbids). */
		if (rep0 >= done) {
			err = XZ_ERR_CORRUPT;
			*reason = "LZMA match distance beyond the data decoded so far";
			break;
		}
		if (rep0 >= dict_size) {
			err = XZ_ERR_CORRUPT;
			*reason = "LZMA match distance beyond the dictionary size";
			break;
		}
		if (len > end - pos) {
			err = XZ_ERR_CORRUPT;
			*reason = "LZMA match runs past the end of its chunk";
			break;
		}
		{
			const uint8_t *from = out + pos - rep0 - 1;
			uint8_t *to = out + pos;
			unsigned int i = 0;

			/* Eight bytes a step when that cannot overlap, then bytes:
			 * a match may repeat its own output (rep0 < len). */
			if (rep0 >= 7)
				for (; i + 8 <= len; i += 8)
					__builtin_memcpy(to + i, from + i, 8);
			for (; i < len; i++)
				to[i] = from[i];
			pos += len;
		}
	}

	*out_pos = pos;
	s->state = state;
	s->rep[0] = rep0;
	s->rep[1] = rep1;
	s->rep[2] = rep2;
	s->rep[3] = rep3;
	if (!err)
		rc_normalize(&rc);
	*in_used = (size_t)(rc.in - in);
	if (err)
		return err;
	if (rc.overrun || pos != end) {
		*reason = "LZMA chunk needs more bytes than its packed size";
		return XZ_ERR_CORRUPT;
	}
	if (rc.in != rc.end || rc.code != 0) {
		*reason = "LZMA chunk ends before its packed size";
		return XZ_ERR_CORRUPT;
	}
	return XZ_OK;
}

static inline unsigned int be16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

int lzma2_decode(struct lzma2_dec *s, const uint8_t *in, size_t in_size, size_t *in_pos,
		 uint8_t *out, size_t out_size, size_t *out_pos, const char **reason)
{
	size_t ip = *in_pos, op = *out_pos;
	int err = XZ_OK;

	for (;;) {
		unsigned int control, props;
		size_t unpacked, packed, used;

		if (ip >= in_size) {
			err = XZ_ERR_TRUNCATED;
			*reason = "LZMA2 data ends without an end marker";
			break;
		}
		control = in[ip];
		if (control == 0x00) {
			ip++;
			break;
		}
		if (control == 0x01 || control >= 0xe0) {
			s->dict_start = op;
			s->need_dict_reset = false;
			if (control == 0x01)
				s->need_props = true;
		} else if (s->need_dict_reset) {
			err = XZ_ERR_CORRUPT;
			*reason = "LZMA2 data does not start with a dictionary reset";
			break;
		}

		if (control < 0x80) {
			/* A stored chunk. */
			if (control > 0x02) {
				err = XZ_ERR_CORRUPT;
				*reason = "invalid LZMA2 control byte";
				break;
			}
			if (in_size - ip < 3) {
				err = XZ_ERR_TRUNCATED;
				*reason = "LZMA2 chunk header cut short";
				break;
			}
			unpacked = be16(in + ip + 1) + 1u;
			ip += 3;
			if (in_size - ip < unpacked) {
				err = XZ_ERR_TRUNCATED;
				*reason = "LZMA2 stored chunk cut short";
				break;
			}
			if (out_size - op < unpacked) {
				err = XZ_ERR_NOSPACE;
				*reason = "output larger than the buffer for it";
				break;
			}
			memcpy(out + op, in + ip, unpacked);
			ip += unpacked;
			op += unpacked;
			continue;
		}

		/* An LZMA chunk. */
		if (in_size - ip < (control >= 0xc0 ? 6u : 5u)) {
			err = XZ_ERR_TRUNCATED;
			*reason = "LZMA2 chunk header cut short";
			break;
		}
		unpacked = ((size_t)(control & 0x1f) << 16) + be16(in + ip + 1) + 1;
		packed = be16(in + ip + 3) + 1u;
		ip += 5;
		if (control >= 0xc0) {
			props = in[ip++];
			if (props >= 9 * 5 * 5) {
				err = XZ_ERR_CORRUPT;
				*reason = "invalid LZMA properties byte";
				break;
			}
			s->lc = props % 9;
			s->lp = props / 9 % 5;
			s->pb = props / 45;
			if (s->lc + s->lp > LC_LP_MAX) {
				err = XZ_ERR_CORRUPT;
				*reason = "LZMA2 properties with lc + lp > 4";
				break;
			}
			s->need_props = false;
			lzma_state_reset(s);
		} else if (s->need_props) {
			err = XZ_ERR_CORRUPT;
			*reason = "LZMA2 chunk without properties after a dictionary reset";
			break;
		} else if (control >= 0xa0) {
			lzma_state_reset(s);
		}
		if (in_size - ip < packed) {
			err = XZ_ERR_TRUNCATED;
			*reason = "LZMA2 chunk cut short";
			break;
		}
		if (out_size - op < unpacked) {
			err = XZ_ERR_NOSPACE;
			*reason = "output larger than the buffer for it";
			break;
		}
		err = lzma_chunk(s, in + ip, packed, &used, out, &op, unpacked, reason);
		if (err) {
			ip += used;	/* where the trouble showed */
			break;
		}
		ip += packed;
	}
	*in_pos = ip;
	*out_pos = op;
	return err;
}
