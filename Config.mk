# hv build and run knobs: every one can be overridden on the command line,
# e.g. `make run QEMU_ACCEL=kvm HV_CMDLINE="console=com1 loglvl=all"`.

TOPDIR  := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD   ?= $(TOPDIR)/build

# The guest ABI headers live in hypervisor/include/public. Every component
# other than the hypervisor sees them through an include directory that
# holds `public` alone, so `#include <public/xen.h>` works everywhere and
# hv's internal headers stay out of reach. Run $(PUBLIC_INC_SETUP) in a
# recipe before compiling and add -I$(PUBLIC_INC).
PUBLIC_INC       := $(BUILD)/public-include
PUBLIC_INC_SETUP  = mkdir -p $(PUBLIC_INC) && ln -sfn $(TOPDIR)/hypervisor/include/public $(PUBLIC_INC)/public

# Toolchains: CC builds the freestanding hypervisor and guest-pv;
# HOSTCC builds dom0 tools, xenstore and the unit tests.
CC      ?= gcc
HOSTCC  ?= gcc
LD      ?= ld
OBJCOPY ?= objcopy
NM      ?= nm

# Warnings every component shares.
WARN_CFLAGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
               -Wmissing-prototypes -Wno-unused-parameter -Wvla
HOST_CFLAGS ?= -std=gnu11 -O2 -g $(WARN_CFLAGS)

# Freestanding code (hypervisor, guest-pv): no SSE, no red zone, frame
# pointers kept for the stack traces in every crash dump.
FREESTANDING_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin \
    -nostdinc -fno-stack-protector -fno-omit-frame-pointer \
    -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx \
    -fno-asynchronous-unwind-tables -fcf-protection=none \
    $(WARN_CFLAGS)

# Log level compiled into hv's default command line (error, warning,
# info, debug, all).
HV_LOGLVL   ?= info

# Linux dom0 (build/dom0/, `make dom0`): its kernel command line comes
# from dom0/cmdline, Xen 4.17's when it boots that dom0 from
# dom0/xen-cmdline, both read by scripts/cmdline.sh as the tests read
# them; its memory is fixed so runs compare.
DOM0_CMDLINE     ?= $(shell bash $(TOPDIR)/scripts/cmdline.sh $(TOPDIR)/dom0/cmdline)
DOM0_MEM         ?= 512M
DOM0_QEMU_MEM    ?= 1G
XEN_DOM0_CMDLINE ?= $(shell bash $(TOPDIR)/scripts/cmdline.sh $(TOPDIR)/dom0/xen-cmdline \
                    DOM0_MEM=$(DOM0_MEM))

# What `make run` boots: GRUB passes HV_CMDLINE to hv, then dom0's kernel
# (RUN_DOM0, with RUN_DOM0_CMDLINE) and its initrd (RUN_INITRD) as
# modules. The default is Debian's Linux with the busybox initramfs of
# build/dom0/; `make run-guest-pv` boots our guest-pv kernel instead, and
# an empty RUN_DOM0 boots hv alone.
HV_CMDLINE       ?= console=com1 com1=115200,8n1 loglvl=$(HV_LOGLVL) \
                    dom0_mem=$(DOM0_MEM),max:$(DOM0_MEM)
RUN_DOM0         ?= $(BUILD)/dom0/vmlinuz
RUN_DOM0_CMDLINE ?= $(DOM0_CMDLINE)
RUN_INITRD       ?= $(BUILD)/dom0/initramfs.cpio.gz
# guest-pv's command line under `make run-guest-pv` (e.g. mode=idle).
GUEST_PV_CMDLINE ?=

# QEMU. KVM does not run vCPUs on our machines (nested virtualisation), so
# TCG is the default; QEMU_ACCEL=kvm opts in where it works. Under TCG the
# guest kernel's own iretq faults with SMAP, hence -smap.
QEMU        ?= qemu-system-x86_64
QEMU_ACCEL  ?= tcg
ifeq ($(QEMU_ACCEL),kvm)
QEMU_CPU    ?= host
else
QEMU_CPU    ?= max,-smap
endif
QEMU_MEM    ?= $(DOM0_QEMU_MEM)
QEMU_SMP    ?= 1
# The same settings for the Python tools that boot QEMU themselves (the
# integration runner, the benchmarks: scripts/qemu_serial.py); each adds
# the memory it wants (--mem) where the scenario does not fix it.
QEMU_PY_ARGS = --qemu "$(QEMU)" --accel "$(QEMU_ACCEL)" --cpu "$(QEMU_CPU)"
# isa-debug-exit lets hv hand an exit status to the test runner.
QEMU_EXIT_PORT ?= 0xf4

# Integration tests: scenarios run in parallel, each bounded by its timeout.
TEST_JOBS    ?= 2
TEST_FILTER  ?=
