# hv — top-level build. `make` builds everything, `make run` boots hv in
# QEMU, `make test` runs the unit and integration tests, `make bench` the
# benchmarks. Knobs live in Config.mk.

include Config.mk

# Each component has its own Makefile with the targets `all` (and, where it
# has them, `bench`); unit tests live under tests/unit/<component>/.
COMPONENTS := hypervisor guest-pv xenstore
UNIT_DIRS  := tests/unit/hypervisor tests/unit/guest-pv tests/unit/xenstore

export BUILD CC HOSTCC LD OBJCOPY NM

.PHONY: all deps $(COMPONENTS) iso run test unit-test integration-test bench clean

all: $(COMPONENTS) iso

# Install missing Debian packages once per change of the package list.
deps: $(BUILD)/.deps-ok
$(BUILD)/.deps-ok: scripts/deps.sh
	@bash scripts/deps.sh
	@mkdir -p $(@D) && touch $@

$(COMPONENTS): deps
	@$(MAKE) --no-print-directory -C $@ all

# build/hv.iso: GRUB + hv (+ the default dom0, once one is built).
iso: hypervisor $(filter guest-pv,$(COMPONENTS))
	@bash scripts/mkiso.sh $(BUILD)/hv.iso $(BUILD)/hv "$(HV_CMDLINE)" \
	    $(if $(wildcard $(RUN_DOM0)),"$(RUN_DOM0)" "$(RUN_DOM0_CMDLINE)")

run: all
	@QEMU="$(QEMU)" QEMU_ACCEL="$(QEMU_ACCEL)" QEMU_CPU="$(QEMU_CPU)" \
	    QEMU_MEM="$(QEMU_MEM)" QEMU_SMP="$(QEMU_SMP)" \
	    bash scripts/qemu.sh $(BUILD)/hv.iso

test: all
	@$(MAKE) --no-print-directory unit-test
	@$(MAKE) --no-print-directory integration-test

unit-test: deps
	@set -e; for d in $(UNIT_DIRS); do \
	    $(MAKE) --no-print-directory -C $$d test; done

integration-test: all
	@python3 tests/integration/runner.py --build $(BUILD) --jobs $(TEST_JOBS) \
	    --qemu "$(QEMU)" --accel $(QEMU_ACCEL) --cpu "$(QEMU_CPU)" \
	    $(if $(TEST_FILTER),--filter "$(TEST_FILTER)")

bench: all
	@$(MAKE) --no-print-directory -C hypervisor bench
	@$(MAKE) --no-print-directory -C xenstore bench

clean:
	rm -rf $(BUILD)
