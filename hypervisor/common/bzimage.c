/*
 * Finding and unpacking a bzImage's payload (see <hv/bzimage.h>).
 *
 * The setup header fields used, at their offsets in the file (boot
 * protocol, Documentation/x86/boot.rst):
 *
 *   0x1f1  u8   setup_sects      sectors of setup code after the boot
 *                                sector (0 means 4)
 *   0x202  u32  header           "HdrS"
 *   0x206  u16  version          protocol version, >= 0x0208 here
 *   0x248  u32  payload_offset   from the start of the protected-mode code
 *   0x24c  u32  payload_length   including the 4-byte size trailer
 *
 * The protected-mode code starts at (setup_sects + 1) * 512.
 */
#include <hv/bzimage.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/xz.h>

#define OFF_SETUP_SECTS 0x1f1
#define OFF_HEADER 0x202
#define OFF_VERSION 0x206
#define OFF_PAYLOAD_OFFSET 0x248
#define OFF_PAYLOAD_LENGTH 0x24c
#define SETUP_HEADER_END 0x250
#define SECTOR_SIZE 512
#define MIN_VERSION 0x0208		/* the first with payload_offset/length */
#define TRAILER_SIZE 4

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool bzimage_probe(const void *image, size_t size)
{
	return size >= OFF_HEADER + 4 && !memcmp((const uint8_t *)image + OFF_HEADER, "HdrS", 4);
}

/* The kernel's compression methods (CONFIG_KERNEL_*), by their magic. */
static const struct {
	const char *name;
	uint8_t len;
	uint8_t magic[6];
} methods[] = {
	{ "XZ", 6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },
	{ "gzip", 2, { 0x1f, 0x8b } },
	{ "bzip2", 3, { 'B', 'Z', 'h' } },
	{ "LZMA", 3, { 0x5d, 0x00, 0x00 } },
	{ "LZO", 4, { 0x89, 'L', 'Z', 'O' } },
	{ "LZ4", 4, { 0x02, 0x21, 0x4c, 0x18 } },
	{ "zstd", 4, { 0x28, 0xb5, 0x2f, 0xfd } },
};

static const char *compression(const uint8_t *p, size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(methods); i++)
		if (size >= methods[i].len && !memcmp(p, methods[i].magic, methods[i].len))
			return methods[i].name;
	return NULL;
}

int bzimage_parse(const char *who, const void *image, size_t size, struct bzimage *bz)
{
	const uint8_t *img = image;
	uint64_t setup_sects, start, length;
	const char *method;

	memset(bz, 0, sizeof(*bz));
	if (!bzimage_probe(image, size)) {
		pr_err("%s: not a bzImage (no HdrS setup header)\n", who);
		return -EINVAL;
	}
	if (size < SETUP_HEADER_END) {
		pr_err("%s: bzImage truncated inside its setup header\n", who);
		return -EINVAL;
	}
	bz->version = (uint16_t)(img[OFF_VERSION] | img[OFF_VERSION + 1] << 8);
	if (bz->version < MIN_VERSION) {
		pr_err("%s: bzImage boot protocol %u.%02u is older than 2.08 (no payload fields)\n",
		       who, bz->version >> 8, bz->version & 0xff);
		return -EINVAL;
	}
	setup_sects = img[OFF_SETUP_SECTS] ? img[OFF_SETUP_SECTS] : 4;
	start = (setup_sects + 1) * SECTOR_SIZE + le32(img + OFF_PAYLOAD_OFFSET);
	length = le32(img + OFF_PAYLOAD_LENGTH);
	if (start > size || length > size - start) {
		pr_err("%s: bzImage truncated: payload at %#lx, %lu bytes, but the file has %lu\n",
		       who, (unsigned long)start, (unsigned long)length, (unsigned long)size);
		return -EINVAL;
	}
	method = compression(img + start, length);
	if (!method) {
		pr_err("%s: bzImage payload compressed with an unknown method\n", who);
		return -ENOEXEC;
	}
	if (strcmp(method, "XZ")) {
		pr_err("%s: bzImage payload is %s-compressed; hv unpacks XZ only (CONFIG_KERNEL_XZ)\n",
		       who, method);
		return -ENOEXEC;
	}
	if (length < TRAILER_SIZE + 6) {
		pr_err("%s: bzImage payload too short for XZ data and its size\n", who);
		return -EINVAL;
	}
	bz->payload = img + start;
	bz->payload_size = length - TRAILER_SIZE;
	bz->unpacked_size = le32(bz->payload + bz->payload_size);
	if (!bz->unpacked_size) {
		pr_err("%s: bzImage payload says it unpacks to 0 bytes\n", who);
		return -EINVAL;
	}
	return 0;
}

int bzimage_unpack(const char *who, const struct bzimage *bz, void *out, void *scratch)
{
	struct xz_result res;
	int err = xz_decode(bz->payload, bz->payload_size, out, bz->unpacked_size, scratch, &res);

	if (err == XZ_ERR_NOSPACE) {
		pr_err("%s: bzImage XZ payload unpacks to more than the %lu bytes its trailer says\n",
		       who, (unsigned long)bz->unpacked_size);
		return -EINVAL;
	}
	if (err) {
		pr_err("%s: bzImage XZ payload rejected, %s: %s (at byte %lu of %lu)\n", who,
		       xz_error_name(err), res.reason, (unsigned long)res.in_pos,
		       (unsigned long)bz->payload_size);
		return -EINVAL;
	}
	if (res.out_len != bz->unpacked_size) {
		pr_err("%s: bzImage XZ payload unpacks to %lu bytes but its trailer says %lu\n",
		       who, (unsigned long)res.out_len, (unsigned long)bz->unpacked_size);
		return -EINVAL;
	}
	return 0;
}
