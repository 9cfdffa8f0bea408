# hv — top-level build. `make` builds every component (`make iso` and
# `make dom0` the boot payloads), `make run` boots hv in
# QEMU, `make test` runs the unit and integration tests, `make bench` the
# benchmarks. Knobs live in Config.mk.

include Config.mk

# Each component has its own Makefile with the targets `all` (and, where it
# has them, `bench`); unit tests live under tests/unit/<component>/.
COMPONENTS := hypervisor guest-pv xenstore dom0-tools
UNIT_DIRS  := tests/unit/hypervisor tests/unit/guest-pv tests/unit/xenstore \
              tests/unit/dom0-tools

export BUILD CC HOSTCC LD OBJCOPY NM

.PHONY: all deps $(COMPONENTS) iso dom0 run run-guest-pv run-dom0-xen test unit-test \
        integration-test bench clean

all: $(COMPONENTS)

# Install missing Debian packages once per change of the package list.
deps: $(BUILD)/.deps-ok
$(BUILD)/.deps-ok: scripts/deps.sh
	@bash scripts/deps.sh
	@mkdir -p $(@D) && touch $@

$(COMPONENTS): deps
	@$(MAKE) --no-print-directory -C $@ all

# build/dom0/: Debian's kernel (vmlinuz, System.map, modules) and an
# initramfs with busybox, the Xen modules, xenstored and hvctl. Packages
# are fetched once and cached; the initramfs is packed when an input changed.
dom0: xenstore dom0-tools
	@bash scripts/mkdom0.sh $(BUILD)

# build/hv.iso: GRUB + hv + what `make run` boots as dom0 (Config.mk).
# Building Linux's payload is only needed when it is the one booted.
RUN_NEEDS_DOM0 := $(if $(filter $(BUILD)/dom0/%,$(RUN_DOM0) $(RUN_INITRD)),dom0)
iso: all $(RUN_NEEDS_DOM0)
	@bash scripts/mkiso.sh $(BUILD)/hv.iso $(BUILD)/hv "$(HV_CMDLINE)" \
	    $(if $(RUN_DOM0),"$(RUN_DOM0)" "$(RUN_DOM0_CMDLINE)" \
	        $(if $(RUN_INITRD),"$(RUN_INITRD)" ""))

# A shell on dom0's console (hvc0) on this terminal; `poweroff` halts hv,
# Ctrl-A X quits QEMU.
run: iso
	@QEMU="$(QEMU)" QEMU_ACCEL="$(QEMU_ACCEL)" QEMU_CPU="$(QEMU_CPU)" \
	    QEMU_MEM="$(QEMU_MEM)" QEMU_SMP="$(QEMU_SMP)" \
	    bash scripts/qemu.sh $(BUILD)/hv.iso

# Our own PV kernel as dom0: it runs its in-guest ABI test suite and
# powers the machine off (GUEST_PV_CMDLINE=mode=idle keeps it running).
run-guest-pv:
	@$(MAKE) --no-print-directory run RUN_DOM0=$(BUILD)/guest-pv/guest-pv \
	    RUN_DOM0_CMDLINE="$(GUEST_PV_CMDLINE)" RUN_INITRD=

# Debian's Linux as dom0 on Debian's Xen 4.17 (the baseline), serial
# console on this terminal: a shell on hvc0. `poweroff` halts Xen; Ctrl-A X
# quits QEMU.
run-dom0-xen: dom0
	@bash scripts/fetch-xen.sh $(BUILD)
	@bash scripts/mkiso.sh $(BUILD)/dom0-xen.iso $(BUILD)/xen/xen.gz \
	    "$(XEN_DOM0_CMDLINE)" $(BUILD)/dom0/vmlinuz "$(DOM0_CMDLINE)" \
	    $(BUILD)/dom0/initramfs.cpio.gz ""
	@QEMU="$(QEMU)" QEMU_ACCEL="$(QEMU_ACCEL)" QEMU_CPU="$(QEMU_CPU)" \
	    QEMU_MEM="$(DOM0_QEMU_MEM)" QEMU_SMP="$(QEMU_SMP)" \
	    bash scripts/qemu.sh $(BUILD)/dom0-xen.iso

test: all
	@$(MAKE) --no-print-directory unit-test
	@$(MAKE) --no-print-directory integration-test

unit-test: deps
	@set -e; for d in $(UNIT_DIRS); do \
	    $(MAKE) --no-print-directory -C $$d test; done

integration-test: all dom0
	@python3 tests/integration/runner.py --build $(BUILD) --jobs $(TEST_JOBS) \
	    $(QEMU_PY_ARGS) $(if $(TEST_FILTER),--filter "$(TEST_FILTER)")

bench: all
	@$(MAKE) --no-print-directory -C hypervisor bench
	@$(MAKE) --no-print-directory -C xenstore bench
	@$(MAKE) --no-print-directory dom0
	@python3 scripts/bench_dom0.py --build $(BUILD) --runs 5 --on xen,hv \
	    $(QEMU_PY_ARGS) --mem $(DOM0_QEMU_MEM)

clean:
	rm -rf $(BUILD)
