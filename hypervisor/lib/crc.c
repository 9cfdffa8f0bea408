/*
 * CRC32 and CRC64. CRC32 checks whole unpacked kernels, so it goes eight
 * bytes a step ("slicing by 8": table k gives the CRC contribution of a
 * byte followed by k zero bytes, so eight lookups fold eight bytes at
 * once); CRC64 goes a byte a step. The tables are computed on first use
 * rather than spelled out here; that happens during boot, before a second
 * CPU could race for them.
 */
#include <hv/crc.h>

#define CRC32_POLY 0xedb88320u			/* 0x04c11db7, bits reversed */
#define CRC64_POLY 0xc96c5795d7870f42ull	/* 0x42f0e1eba9ea3693, bits reversed */

static uint32_t crc32_table[8][256];
static uint64_t crc64_table[256];
static bool tables_ready;

static void make_tables(void)
{
	for (unsigned int b = 0; b < 256; b++) {
		uint32_t c32 = b;
		uint64_t c64 = b;

		for (unsigned int k = 0; k < 8; k++) {
			c32 = (c32 >> 1) ^ (c32 & 1 ? CRC32_POLY : 0);
			c64 = (c64 >> 1) ^ (c64 & 1 ? CRC64_POLY : 0);
		}
		crc32_table[0][b] = c32;
		crc64_table[b] = c64;
	}
	for (unsigned int k = 1; k < 8; k++)
		for (unsigned int b = 0; b < 256; b++) {
			uint32_t prev = crc32_table[k - 1][b];

			crc32_table[k][b] = (prev >> 8) ^ crc32_table[0][prev & 0xff];
		}
	tables_ready = true;
}

static inline uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (unlikely(!tables_ready))
		make_tables();
	crc = ~crc;
	for (; len >= 8; len -= 8, p += 8) {
		uint32_t lo = crc ^ load_le32(p), hi = load_le32(p + 4);

		crc = crc32_table[7][lo & 0xff] ^ crc32_table[6][(lo >> 8) & 0xff] ^
		      crc32_table[5][(lo >> 16) & 0xff] ^ crc32_table[4][lo >> 24] ^
		      crc32_table[3][hi & 0xff] ^ crc32_table[2][(hi >> 8) & 0xff] ^
		      crc32_table[1][(hi >> 16) & 0xff] ^ crc32_table[0][hi >> 24];
	}
	while (len--)
		crc = crc32_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

uint64_t crc64(uint64_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (unlikely(!tables_ready))
		make_tables();
	crc = ~crc;
	while (len--)
		crc = crc64_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
