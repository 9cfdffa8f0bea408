"""hv alone: boot, command line, memory map, modules, log levels, crash dumps.

Each scenario boots the real ISO through GRUB; together they would fail if
the banner, the memory map, the module list, the option parsing or the
exception dump were wrong.
"""
import os

from runner import Scenario

BASE = "console=com1 com1=115200,8n1 exit_port=0xf4"


def make_modules(build, sdir):
    # Two small modules with distinct sizes, so the printed sizes prove
    # hv read the loader's module tags rather than guessing.
    with open(os.path.join(sdir, "mod-a"), "wb") as f:
        f.write(b"A" * 4096)
    with open(os.path.join(sdir, "mod-b"), "wb") as f:
        f.write(b"B" * 12345)


SCENARIOS = [
    Scenario(
        name="boot_banner_and_memory_map",
        doc="hv boots from GRUB, prints its banner and QEMU's 1 GiB memory map, powers off",
        cmdline=BASE + " loglvl=all",
        memory="1G",
        expect=[
            r"\(HV\) hv version \d+\.\d+: x86_64 paravirtualizing hypervisor",
            r"Boot loader: GRUB 2",
            r"Command line: console=com1 com1=115200,8n1 exit_port=0xf4 loglvl=all",
            r"Memory map:",
            r"0000000000000000 - 000000000009fc00 \(RAM\)",
            r"0000000000100000 - 000000003ffe0000 \(RAM\)",
            r"Modules: 0",
            r"paging: direct map and image mapped",
            r"mm: 1023 MiB of RAM, 10\d\d MiB free for allocation",
            r"acpi: RSDP rev \d, PM1a_CNT 0x[0-9a-f]+",
            r"No dom0 kernel module given",
            r"Powering off\.",
        ],
        exit=0,
        timeout=60,
    ),
    Scenario(
        name="boot_modules_listed",
        doc="GRUB's modules are listed with their real sizes and command lines; the "
            "second becomes dom0's initrd; 512 MiB map",
        cmdline=BASE + " loglvl=info dom0_mem=32M",
        memory="512M",
        prepare=make_modules,
        modules=[("{build}/guest-pv/guest-pv", "tests=xen_version.version"),
                 ("{sdir}/mod-b", "beta two"), ("{sdir}/mod-a", "alpha=1")],
        expect=[
            r"0000000000100000 - 000000001ffe0000 \(RAM\)",
            r"Modules: 3",
            r"module 0: [0-9a-f]{16} - [0-9a-f]{16}, \d+ bytes: guest-pv tests=xen_version.version",
            r"module 1: [0-9a-f]{16} - [0-9a-f]{16}, 12345 bytes: mod-b beta two",
            r"module 2: [0-9a-f]{16} - [0-9a-f]{16}, 4096 bytes: mod-a alpha=1",
            r"mm: 511 MiB of RAM",
            r"Init\. ramdisk: mapped at VA 0xffffffff8[0-9a-f]+, 12345 bytes",
            r"guest-pv: 1 passed, 0 failed",
            r"Powering off\.",
        ],
        exit=0,
        timeout=60,
    ),
    Scenario(
        name="boot_cmdline_options",
        doc="Xen-style options apply; unknown ones are reported once; bad values keep defaults",
        cmdline=BASE + " loglvl=all guest_loglvl=debug dom0_mem=512M,max:1G dom0_max_vcpus=1"
                       " bogus_opt=1 bogus_opt=2 loglvl=loud com1=fast dom0_mem=lots",
        memory="2G",
        expect=[
            r"cmdline: unknown option 'bogus_opt' ignored",
            r"cmdline: bad value 'loud' for option 'loglvl'; keeping the default",
            r"cmdline: bad value 'fast' for option 'com1'; keeping the default",
            r"cmdline: bad value 'lots' for option 'dom0_mem'; keeping the default",
            r"loglvl=all guest_loglvl=debug",
            r"dom0: 512 MiB \(max 1024 MiB\) of 20\d\d MiB free, 1 vCPU",
            r"Powering off\.",
        ],
        forbid=[r"(?s)unknown option 'bogus_opt'.*unknown option 'bogus_opt'"],
        exit=0,
        timeout=60,
    ),
    Scenario(
        name="boot_loglvl_filters",
        doc="loglvl=warning prints warnings but not the info-level boot report",
        cmdline=BASE + " loglvl=warning not_an_option",
        expect=[r"cmdline: unknown option 'not_an_option' ignored"],
        forbid=[r"Memory map:", r"hv version", r"Powering off"],
        exit=0,
        timeout=60,
    ),
    Scenario(
        name="boot_console_none",
        doc="console=none silences hv entirely, and it still powers off cleanly",
        cmdline="console=none loglvl=all exit_port=0xf4",
        forbid=[r"\(HV\)"],
        exit=0,
        timeout=60,
    ),
    Scenario(
        name="fault_page_fault_dump",
        doc="a page fault in hv prints cr2, registers and a symbolised stack trace, then panics",
        cmdline=BASE + " loglvl=info test_fault=pf",
        allow_panic=True,
        expect=[
            r"test_fault: taking a deliberate 'pf' fault",
            r"\*\*\*\* FATAL TRAP 14: #PF page fault, error code 0x2, in hv \(ring 0\)",
            r"Faulting address \(cr2\): 000000000dead000: no page for a write in supervisor mode",
            r"RIP:    \[<ffff82d040[0-9a-f]{6}>\] fault_now",
            r"CS: e008  RFLAGS: [0-9a-f]{16}  SS: e010",
            r"rax: [0-9a-f]{16}  rbx: [0-9a-f]{16}  rcx: [0-9a-f]{16}",
            r"cr0: [0-9a-f]{16}  cr2: 000000000dead000",
            r"Stack trace \(innermost first\):",
            r"\[<ffff82d040[0-9a-f]{6}>\] start_hv\+0x[0-9a-f]+/0x[0-9a-f]+",
            r"\*\*\*\* hv PANIC on CPU 0: fatal trap 14",
        ],
        exit=3,
        timeout=60,
    ),
    Scenario(
        name="fault_general_protection_dump",
        doc="a #GP (non-canonical access) is dumped and reported to the harness as a panic",
        cmdline=BASE + " loglvl=info test_fault=gp",
        allow_panic=True,
        expect=[
            r"FATAL TRAP 13: #GP general protection, error code 0x0",
            r"Stack trace",
            r"hv PANIC on CPU 0: fatal trap 13",
        ],
        exit=3,
        timeout=60,
    ),
    Scenario(
        name="fault_smep_blocks_guest_pages",
        doc="with SMEP hv cannot execute a user-accessible page (every PV guest page is one)",
        cmdline=BASE + " loglvl=all test_fault=smep",
        allow_panic=True,
        expect=[
            r"paging: direct map and image mapped, NX on, SMEP on",
            r"FATAL TRAP 14: #PF page fault, error code 0x11",
            r"Faulting address \(cr2\): 0000000000400000: protection violation on an instruction fetch",
            r"hv PANIC on CPU 0: fatal trap 14",
        ],
        exit=3,
        timeout=60,
    ),
    Scenario(
        name="fault_noreboot_halts",
        doc="with noreboot a panic halts the machine instead of restarting it",
        cmdline="console=com1 loglvl=info noreboot test_fault=ud",
        allow_panic=True,
        expect=[r"FATAL TRAP 6: #UD invalid opcode", r"hv PANIC", r"noreboot: halting\."],
        end=r"noreboot: halting\.",
        timeout=60,
    ),
]
