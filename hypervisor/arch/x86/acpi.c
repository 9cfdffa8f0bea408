/*
 * Just enough ACPI to power the machine off: find the FADT through the
 * RSDP (the boot loader's copy, or the BIOS area), and the S5 sleep type
 * in the DSDT's \_S5 package. Every table is length- and checksum-checked
 * before use; anything odd leaves acpi_s5.valid false and hv falls back to
 * other ways of stopping.
 */
#include <hv/console.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/multiboot2.h>
#include <hv/power.h>

#define MAX_TABLE_LEN (1u << 20)

struct acpi_sleep acpi_s5;

struct __packed acpi_header {
	char sig[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
};

static bool checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

/* Tables live below 4 GiB on the machines we meet; the direct map covers them. */
static const struct acpi_header *table_at(uint64_t pa, const char *sig)
{
	const struct acpi_header *h;

	if (!pa || pa >= (4UL << 30))
		return NULL;
	h = maddr_to_virt(pa);
	if ((sig && memcmp(h->sig, sig, 4)) || h->length < sizeof(*h) ||
	    h->length > MAX_TABLE_LEN || !checksum_ok(h, h->length))
		return NULL;
	return h;
}

static const uint8_t *find_rsdp(const struct boot_info *bi)
{
	if (bi->rsdp && bi->rsdp_len >= 20 && !memcmp(bi->rsdp, "RSD PTR ", 8) &&
	    checksum_ok(bi->rsdp, 20))
		return bi->rsdp;
	for (uint64_t pa = 0xe0000; pa < 0x100000; pa += 16) {
		const uint8_t *p = maddr_to_virt(pa);

		if (!memcmp(p, "RSD PTR ", 8) && checksum_ok(p, 20))
			return p;
	}
	return NULL;
}

static const struct acpi_header *find_table(const uint8_t *rsdp, const char *sig)
{
	uint32_t rsdt_pa;
	uint64_t xsdt_pa = 0;
	const struct acpi_header *sdt;
	size_t entry_size = 4;

	memcpy(&rsdt_pa, rsdp + 16, 4);
	if (rsdp[15] >= 2)
		memcpy(&xsdt_pa, rsdp + 24, 8);
	sdt = table_at(xsdt_pa, "XSDT");
	if (sdt)
		entry_size = 8;
	else
		sdt = table_at(rsdt_pa, "RSDT");
	if (!sdt)
		return NULL;
	for (size_t off = sizeof(*sdt); off + entry_size <= sdt->length; off += entry_size) {
		uint64_t pa = 0;
		const struct acpi_header *t;

		memcpy(&pa, (const uint8_t *)sdt + off, entry_size);
		t = table_at(pa, sig);
		if (t)
			return t;
	}
	return NULL;
}

/* One AML integer: ZeroOp, OneOp, or Byte/Word prefixes. Returns bytes used. */
static size_t aml_int(const uint8_t *p, const uint8_t *end, uint16_t *out)
{
	if (p >= end)
		return 0;
	switch (p[0]) {
	case 0x00: *out = 0; return 1;
	case 0x01: *out = 1; return 1;
	case 0x0a: if (p + 2 > end) return 0; *out = p[1]; return 2;
	case 0x0b: if (p + 3 > end) return 0; *out = (uint16_t)(p[1] | p[2] << 8); return 3;
	default: return 0;
	}
}

/* Find NameOp "_S5_" PackageOp in the DSDT and read SLP_TYPa/b. */
static bool parse_s5(const struct acpi_header *dsdt)
{
	const uint8_t *p = (const uint8_t *)dsdt + sizeof(*dsdt);
	const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;

	for (; p + 8 < end; p++) {
		size_t n;

		if (memcmp(p, "_S5_", 4) || p[4] != 0x12)
			continue;
		if (p[-1] != 0x08 && !(p[-1] == '\\' && p[-2] == 0x08))
			continue;
		p += 5;				/* PackageOp */
		p += 1 + (p[0] >> 6);		/* PkgLength */
		p += 1;				/* NumElements */
		n = aml_int(p, end, &acpi_s5.slp_typa);
		if (!n)
			return false;
		if (!aml_int(p + n, end, &acpi_s5.slp_typb))
			acpi_s5.slp_typb = acpi_s5.slp_typa;
		return true;
	}
	return false;
}

void acpi_init(const struct boot_info *bi)
{
	const uint8_t *rsdp = find_rsdp(bi);
	const struct acpi_header *fadt, *dsdt;
	uint32_t v32;
	uint64_t dsdt_pa = 0;

	if (!rsdp) {
		pr_info("acpi: no RSDP found; power-off will use other means\n");
		return;
	}
	fadt = find_table(rsdp, "FACP");
	if (!fadt || fadt->length < 76) {
		pr_warn("acpi: no usable FADT\n");
		return;
	}
	memcpy(&v32, (const uint8_t *)fadt + 40, 4);
	dsdt_pa = v32;
	if (fadt->length >= 148)
		memcpy(&dsdt_pa, (const uint8_t *)fadt + 140, 8);
	if (!dsdt_pa)
		dsdt_pa = v32;
	memcpy(&acpi_s5.smi_cmd, (const uint8_t *)fadt + 48, 4);
	acpi_s5.acpi_enable = ((const uint8_t *)fadt)[52];
	memcpy(&v32, (const uint8_t *)fadt + 64, 4);
	acpi_s5.pm1a_cnt = (uint16_t)v32;
	memcpy(&v32, (const uint8_t *)fadt + 68, 4);
	acpi_s5.pm1b_cnt = (uint16_t)v32;
	dsdt = table_at(dsdt_pa, "DSDT");
	if (!dsdt || !acpi_s5.pm1a_cnt || !parse_s5(dsdt)) {
		pr_warn("acpi: no \\_S5 sleep state in the DSDT; power-off will use other means\n");
		return;
	}
	acpi_s5.valid = true;
	pr_info("acpi: RSDP rev %u, PM1a_CNT %#x, S5 type %u\n", rsdp[15], acpi_s5.pm1a_cnt,
		acpi_s5.slp_typa);
}
