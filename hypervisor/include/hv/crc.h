/*
 * The two CRCs of the .xz format: CRC32 (IEEE 802.3, as in zlib, gzip and
 * PNG) and CRC64 (ECMA-182, as in .xz). Both are the reflected forms with an
 * all-ones initial value and final inversion; pass 0 to start and the
 * previous result to continue over more data.
 */
#ifndef HV_CRC_H
#define HV_CRC_H

#include <hv/types.h>

uint32_t crc32(uint32_t crc, const void *buf, size_t len);
uint64_t crc64(uint64_t crc, const void *buf, size_t len);

#endif
