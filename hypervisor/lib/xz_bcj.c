/*
 * The x86 BCJ ("branch/call/jump") filter of the .xz format, decoding side.
 *
 * x86 code is full of near calls (E8 rel32) and jumps (E9 rel32) whose
 * 32-bit displacements are relative to the next instruction, so calls to
 * one function from many places all look different. The encoder rewrote
 * each displacement that stays within +-16 MiB (top byte 00 or FF) into an
 * absolute target, which LZMA then finds repeated; the decoder subtracts
 * the position again.
 *
 * An E8/E9 byte may just as well be data or part of an earlier
 * instruction, and the filter cannot tell. It keeps, in `recent`, which of
 * the three bytes before the current candidate were themselves E8/E9
 * candidates (bit 0: one byte back, bit 1: two, bit 2: three); some of
 * those patterns make the candidate unlikely to be an opcode and it is
 * skipped, or an operand byte decides: 00/FF there means "skip". The
 * encoder never leaves 00/FF in that byte of a value it converts (it
 * flips the value's low bits and converts again), and bytes it skips over
 * stay as they were, so the decoder reaches the same decisions from the
 * converted data. The rules below are the format's; they must match the
 * encoder's bit for bit.
 *
 * Positions are those of the block's uncompressed data, offset by the
 * filter's start offset; a candidate needs its four operand bytes inside
 * the block, so the last four bytes are never converted.
 */
#include "xz_private.h"

/* For each 3-bit `recent` pattern: may a candidate be converted at all? */
static const bool recent_allows[8] = { true, true, true, false, true, false, false, false };
/* ... and which operand byte (counted back from the top byte) to test. */
static const uint8_t recent_byte[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };

/* A displacement's top byte, if the encoder would have converted it. */
static inline bool near_top_byte(uint8_t b)
{
	return b == 0x00 || b == 0xff;
}

void bcj_x86_decode(uint8_t *buf, size_t size, uint32_t start)
{
	size_t last = (size_t)-1;	/* the previous candidate; "-1" is far enough */
	uint32_t recent = 0;

	if (size < 5)
		return;
	for (size_t i = 0; i < size - 4; i++) {
		size_t gap;
		uint32_t rel, abs;

		if ((buf[i] & 0xfe) != 0xe8)
			continue;
		gap = i - last;
		last = i;
		if (gap > 3) {
			recent = 0;
		} else {
			recent = (recent << (gap - 1)) & 7;
			if (recent && (!recent_allows[recent] ||
				       near_top_byte(buf[i + 4 - recent_byte[recent]]))) {
				recent = (recent << 1) | 1;
				continue;
			}
		}
		if (!near_top_byte(buf[i + 4])) {
			recent = (recent << 1) | 1;
			continue;
		}

		abs = (uint32_t)buf[i + 1] | (uint32_t)buf[i + 2] << 8 |
		      (uint32_t)buf[i + 3] << 16 | (uint32_t)buf[i + 4] << 24;
		for (;;) {
			unsigned int shift;

			rel = abs - (start + (uint32_t)i + 5);
			if (!recent)
				break;
			shift = 24 - recent_byte[recent] * 8;
			if (!near_top_byte((uint8_t)(rel >> shift)))
				break;
			abs = rel ^ ((1u << (shift + 8)) - 1);
		}
		/* 25 significant bits, sign-extended from bit 24. */
		buf[i + 1] = (uint8_t)rel;
		buf[i + 2] = (uint8_t)(rel >> 8);
		buf[i + 3] = (uint8_t)(rel >> 16);
		buf[i + 4] = (rel & (1u << 24)) ? 0xff : 0x00;
		i += 4;
	}
}
