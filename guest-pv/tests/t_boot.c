/*
 * What the domain builder hands over: start_info, the initial mapping,
 * shared_info, and the read-only M2P that must agree with our p2m.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>

extern char _image_start[], _image_end[];

TEST(start_info, fields)
{
	const struct start_info *si = start_info;
	uint64_t end = VIRT_BASE + 1024UL * 1024 * 1024;

	CHECK(!strncmp(si->magic, "xen-3.0-x86_64", 14), "magic \"%.32s\"", si->magic);
	CHECK(si->nr_pages > 0, "nr_pages 0");
	CHECK(si->mfn_list >= (uint64_t)_image_end && si->mfn_list < end, "mfn_list %#lx", si->mfn_list);
	CHECK(si->pt_base >= (uint64_t)_image_end && si->pt_base < end && !(si->pt_base & 0xfff),
	      "pt_base %#lx", si->pt_base);
	CHECK(si->nr_pt_frames >= 4, "nr_pt_frames %lu", si->nr_pt_frames);
	CHECK(strnlen(si->cmd_line, sizeof(si->cmd_line)) < sizeof(si->cmd_line), "cmd_line not terminated");
	CHECK(!(si->shared_info & 0xfff), "shared_info %#lx not page aligned", si->shared_info);
	if (is_initial_domain())
		CHECK(si->flags & SIF_PRIVILEGED, "initial domain without SIF_PRIVILEGED");
}

TEST(start_info, initial_mapping)
{
	/* start_info itself, the p2m and our image lie in the initial region. */
	CHECK((uint64_t)start_info >= (uint64_t)_image_end, "start_info %p inside the image",
	      (const void *)start_info);
	CHECK(!((uint64_t)start_info & 0xfff), "start_info %p not page aligned", (const void *)start_info);
	CHECK((uint64_t)_image_start == VIRT_BASE, "image at %p", (void *)_image_start);
	/* The stack we were entered on is above the page tables; ours is in .bss. */
	CHECK_EQ("cs", FLAT_KERNEL_CS, read_cs());
	CHECK_EQ("ss", FLAT_KERNEL_SS, read_ss());
}

TEST(shared_info, initial_state)
{
	const struct shared_info *s = shared_info;

	if (!s)
		SKIP("shared_info could not be mapped");
	for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		if (s->vcpu_info[i].evtchn_upcall_mask != 1) {
			test_fail("vcpu_info[%u].evtchn_upcall_mask = %u", i, s->vcpu_info[i].evtchn_upcall_mask);
			break;
		}
	CHECK(!(s->vcpu_info[0].time.version & 1), "time version %u is odd", s->vcpu_info[0].time.version);
	CHECK(s->vcpu_info[0].time.tsc_to_system_mul != 0, "tsc_to_system_mul is 0");
	CHECK(!(s->wc_version & 1), "wc_version %u is odd", s->wc_version);
}

static uint64_t system_time_ns(const struct vcpu_time_info *t)
{
	uint32_t ver;
	uint64_t ns;

	do {
		ver = t->version;
		__asm__ __volatile__("" ::: "memory");
		uint64_t delta = rdtsc() - t->tsc_timestamp;

		if (t->tsc_shift >= 0)
			delta <<= t->tsc_shift;
		else
			delta >>= -t->tsc_shift;
		ns = t->system_time + (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
		__asm__ __volatile__("" ::: "memory");
	} while ((ver & 1) || ver != t->version);
	return ns;
}

TEST(shared_info, system_time_advances)
{
	uint64_t t0, t1;

	if (!shared_info)
		SKIP("shared_info could not be mapped");
	t0 = system_time_ns(&shared_info->vcpu_info[0].time);
	for (int i = 0; i < 100; i++)
		HYPERVISOR_sched_op(0, NULL);
	t1 = system_time_ns(&shared_info->vcpu_info[0].time);
	CHECK(t1 > t0, "system time went from %lu to %lu", t0, t1);
	CHECK(t0 > 0, "system time is 0");
}

TEST(m2p, round_trip)
{
	const volatile uint64_t *m2p = (const volatile uint64_t *)MACH2PHYS_VIRT_START;

	for (uint64_t pfn = 0; pfn < start_info->nr_pages; pfn++) {
		uint64_t v;

		if (!probe_read_u64(&m2p[p2m[pfn]], &v)) {
			test_fail("reading m2p[%#lx] (pfn %#lx) faulted", p2m[pfn], pfn);
			return;
		}
		if (v != pfn) {
			test_fail("m2p[p2m[%#lx] = %#lx] = %#lx", pfn, p2m[pfn], v);
			return;
		}
	}
}

TEST(m2p, read_only)
{
	volatile uint64_t *m2p = (volatile uint64_t *)MACH2PHYS_VIRT_START;

	CHECK(!probe_write_u64(&m2p[p2m[0]], 0), "the M2P is writable");
	CHECK_EQ("vector", 14, last_trap.vector);
}
