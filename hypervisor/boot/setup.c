/*
 * Start of day, as a flat list of init steps. head.S calls start_hv() in
 * long mode on the boot stack with the multiboot2 magic and info address.
 */
#include <hv/apic.h>
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/dom0.h>
#include <hv/domain.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/m2p.h>
#include <hv/mm.h>
#include <hv/multiboot2.h>
#include <hv/panic.h>
#include <hv/power.h>
#include <hv/sched.h>
#include <hv/serial.h>
#include <hv/time.h>
#include <hv/version.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>

extern char _start[], _end[];

void __noreturn start_hv(uint32_t magic, paddr_t info_pa);

static struct boot_info boot_info;
const char *hv_cmdline = "";

static void print_banner(void)
{
	char vendor[13] = { 0 };
	uint32_t max, b, c, d;

	cpuid(0, 0, &max, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	pr_info("hv version %s: x86_64 paravirtualizing hypervisor, Xen PV guest ABI\n",
		HV_VERSION_STRING);
	pr_info("built %s %s with gcc %s\n", __DATE__, __TIME__, __VERSION__);
	pr_info("CPU vendor %s; loglvl=%s guest_loglvl=%s\n", vendor,
		log_level_name(console_loglvl), log_level_name(console_guest_loglvl));
}

static void print_boot_info(const struct boot_info *bi)
{
	pr_info("Boot loader: %s\n", bi->loader);
	pr_info("Command line: %s\n", bi->cmdline);
	pr_info("Memory map:\n");
	for (unsigned int i = 0; i < bi->nr_regions; i++)
		pr_info(" %016lx - %016lx (%s)\n", bi->regions[i].start, bi->regions[i].end,
			mem_type_name(bi->regions[i].type));
	pr_info("Modules: %u\n", bi->nr_modules);
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		pr_info(" module %u: %016lx - %016lx, %lu bytes: %s\n", i, bi->modules[i].start,
			bi->modules[i].end, bi->modules[i].end - bi->modules[i].start,
			bi->modules[i].cmdline);
}

static void *heap_get_pages(unsigned int order)
{
	mfn_t mfn = alloc_frames(order);

	return mfn == INVALID_MFN ? NULL : mfn_to_virt(mfn);
}

static void heap_put_pages(void *p, unsigned int order)
{
	free_frames(virt_to_maddr(p) >> PAGE_SHIFT, order);
}

static const struct heap_pages heap_pages = { heap_get_pages, heap_put_pages };

void start_hv(uint32_t magic, paddr_t info_pa)
{
	struct boot_info *bi = &boot_info;
	struct domain *dom0;
	int rc;

	descriptors_init();	/* from here on a fault prints a register dump */
	rc = mb2_parse(magic, info_pa ? maddr_to_virt(info_pa) : NULL, info_pa, bi);
	hv_cmdline = bi->cmdline;
	cmdline_parse(bi->cmdline, __start_hv_params, __stop_hv_params);
	console_init();		/* replays everything printed so far */
	print_banner();
	if (rc)
		panic("cannot boot from the information the boot loader gave");
	print_boot_info(bi);

	i8259_disable();
	early_mm_init(bi, virt_to_maddr(_start), virt_to_maddr(_end));
	paging_init(bi);
	frames_init(bi);
	heap_init(&heap_pages);
	m2p_init();
	pv_descriptor_tables_init();
	memory_op_init(bi);
	acpi_init(bi);
	time_init();
	apic_init();
	dom0_report_sizing(frames_free_count() << PAGE_SHIFT, 1);
	traps_run_fault_test();

	if (!bi->nr_modules) {
		pr_info("No dom0 kernel module given: nothing to run.\n");
		machine_power_off();
	}
	dom0 = dom0_build(bi);
	if (!dom0)
		panic("could not build dom0 from module 0 (see above)");
	domus_build(bi);
	sched_init();
	console_input_init();
	domains_start();
}
