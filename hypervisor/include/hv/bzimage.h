/*
 * Linux bzImages as PV kernels. A bzImage is the real-mode setup code
 * (with the boot protocol's setup header) followed by the protected-mode
 * code, inside which lies the compressed vmlinux: the "payload", found
 * through the header's payload_offset and payload_length (protocol 2.08+).
 * Xen loads such a kernel by unpacking the payload, an ELF vmlinux, and
 * so does hv; Debian's kernels compress it with XZ (CONFIG_KERNEL_XZ), the
 * only method hv unpacks. The payload ends with the unpacked size as a
 * 32-bit little-endian number.
 *
 * Pure: no allocation; the unit tests run it on crafted images. The hv
 * side, which allocates the unpacked image, is <hv/kernel_image.h>.
 */
#ifndef HV_BZIMAGE_H
#define HV_BZIMAGE_H

#include <hv/types.h>

struct bzimage {
	uint16_t version;		/* boot protocol, e.g. 0x020f */
	const uint8_t *payload;		/* the XZ stream... */
	size_t payload_size;		/* ...without the size trailer */
	size_t unpacked_size;		/* what the trailer says */
};

/* Does the image carry a boot protocol setup header ("HdrS" at 0x202)? */
bool bzimage_probe(const void *image, size_t size);

/*
 * Check a bzImage and find its payload. Returns 0, or after printing why
 * (prefixed by `who`, e.g. "dom0 kernel"): -EINVAL for a malformed or
 * truncated image, -ENOEXEC for a payload hv cannot unpack (gzip, zstd...,
 * named in the message).
 */
int bzimage_parse(const char *who, const void *image, size_t size, struct bzimage *bz);

/*
 * Unpack the payload into out[0, bz->unpacked_size), with XZ_SCRATCH_SIZE
 * bytes of scratch (<hv/xz.h>). Returns 0, or -EINVAL after printing why
 * (corrupt, truncated, CRC mismatch, size differing from the trailer...).
 */
int bzimage_unpack(const char *who, const struct bzimage *bz, void *out, void *scratch);

#endif
