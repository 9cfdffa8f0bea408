"""guest-pv as dom0 on hv: the first PV domain.

hv builds dom0 from the guest-pv module, enters it in ring 3, and serves
its hypercalls. guest-pv's whole suite runs, the same binary and
expectations as on Xen 4.17 (see guest_pv_xen.py). dom0's poweroff powers
the machine off, so QEMU exits 0; a crash ends with exit_port status 1
(QEMU exit 3).

Crafted bad kernels check that the builder refuses them with a message
naming the problem, without a fault in hv.
"""
import os
import shutil
import struct

from _guest_pv import (GUEST, count_tests, guest_pv_bench_scenario, guest_pv_fault_scenario,
                       guest_pv_scenario)
from runner import Scenario

HV = "{build}/hv"
HV_CMDLINE = "console=com1 com1=115200,8n1 loglvl=all exit_port=0xf4 dom0_mem=64M"



def _guest_bytes(build):
    with open(os.path.join(build, "guest-pv", "guest-pv"), "rb") as f:
        return bytearray(f.read())


def _phdrs(elf):
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phnum, = struct.unpack_from("<H", elf, 0x38)
    return [phoff + i * 56 for i in range(phnum)]


def _write(sdir, data):
    with open(os.path.join(sdir, "kernel"), "wb") as f:
        f.write(data)


def truncated_kernel(build, sdir):
    _write(sdir, _guest_bytes(build)[:300])     # headers intact, segment data gone


def truncated_headers(build, sdir):
    _write(sdir, _guest_bytes(build)[:100])     # program header table cut short


def notes_outside_file(build, sdir):
    elf = _guest_bytes(build)
    for ph in _phdrs(elf):
        if struct.unpack_from("<I", elf, ph)[0] == 4:          # PT_NOTE
            struct.pack_into("<Q", elf, ph + 8, len(elf) + 0x100000)  # p_offset
    _write(sdir, elf)


def not_an_elf(build, sdir):
    _write(sdir, b"#!/bin/sh\necho this is not a kernel\n" * 20)


def no_dom0_support(build, sdir):
    """Zero the SUPPORTED_FEATURES note, so the kernel no longer claims dom0."""
    elf = _guest_bytes(build)
    for ph in _phdrs(elf):
        if struct.unpack_from("<I", elf, ph)[0] != 4:
            continue
        off, = struct.unpack_from("<Q", elf, ph + 8)
        size, = struct.unpack_from("<Q", elf, ph + 32)
        p, end = off, off + size
        while p + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", elf, p)
            desc = p + 12 + ((namesz + 3) & ~3)
            if ntype == 17 and elf[p + 12:p + 16] == b"Xen\0":
                elf[desc:desc + descsz] = bytes(descsz)
            p = desc + ((descsz + 3) & ~3)
    _write(sdir, elf)


def bad_kernel(name, prepare, message, doc):
    return Scenario(
        name=name,
        cmdline=HV_CMDLINE,
        prepare=prepare,
        modules=[("{sdir}/kernel", "")],
        allow_panic=True,
        expect=[message, r"hv PANIC on CPU 0: could not build dom0"],
        forbid=[r"FATAL TRAP", r"dom0: starting at"],
        exit=3,
        timeout=60,
        doc=doc,
    )


SCENARIOS = [
    guest_pv_scenario(
        "guest_pv_hv",
        hypervisor=HV,
        cmdline=HV_CMDLINE,
        guest_cmdline="target=hv",
        # xen_version.version_is_4_17 runs on Xen only; domctl.domu_refused in
        # a domU.
        max_skipped=1 + count_tests(["domctl.domu_refused"]),
        skips=("xen_only", "domu_only"),
        exit=0,
        forbid=[r"hv PANIC", r"crashed"],
        doc="guest-pv's whole ABI suite passes as dom0 on hv, as on Xen 4.17",
    ),
    # `make bench` runs these on hv and Xen; here every one must run on hv.
    guest_pv_bench_scenario(
        "guest_pv_hv_bench",
        hypervisor=HV,
        cmdline=HV_CMDLINE.replace("loglvl=all", "loglvl=warning"),
        exit=0,
        timeout=120,
        forbid=[r"hv PANIC", r"crashed"],
    ),
    guest_pv_fault_scenario(
        "guest_pv_hv_fault",
        hypervisor=HV,
        cmdline=HV_CMDLINE,
        exit=3,
        doc="an unexpected #PF in dom0 reaches guest-pv's handler, which reports it and "
            "shuts down as crashed; hv stops the machine as Xen does",
    ),
    bad_kernel("hv_dom0_truncated_elf", truncated_kernel,
               r"dom0: kernel: segment \d+ \(offset \w+, \w+ bytes\) lies outside the file",
               "a truncated dom0 ELF is refused with a message, not a fault"),
    bad_kernel("hv_dom0_truncated_headers", truncated_headers,
               r"dom0: kernel: the program header table \(offset \w+, \d+ entries\) is malformed or truncated",
               "an ELF cut inside its program header table is refused"),
    bad_kernel("hv_dom0_notes_outside_file", notes_outside_file,
               r"dom0: kernel: note segment \d+ \(offset \w+, \w+ bytes\) lies outside the file",
               "ELF notes pointing past the end of the file are refused"),
    bad_kernel("hv_dom0_not_elf", not_an_elf,
               r"dom0: kernel: not an ELF file \(\d+ bytes\); not loaded",
               "a module that is not an ELF file is refused"),
    Scenario(
        name="hv_dom0_memory_too_small",
        cmdline="console=com1 loglvl=all exit_port=0xf4 dom0_mem=2M",
        modules=[(GUEST, "")],
        allow_panic=True,
        expect=[r"dom0: memory: the kernel needs \d+ pages \(\d+ KiB\) to boot but the domain "
                r"has 512 \(2048 KiB\); not loaded",
                r"hv PANIC on CPU 0: could not build dom0"],
        forbid=[r"FATAL TRAP", r"dom0: starting at", r"domain 0: created"],
        exit=3,
        timeout=60,
        doc="a kernel whose boot region does not fit dom0_mem is refused before any allocation",
    ),
    bad_kernel("hv_dom0_without_dom0_feature", no_dom0_support,
               r"dom0: kernel: it does not declare support for running as dom0; not loaded",
               "a kernel whose SUPPORTED_FEATURES lacks XENFEAT_dom0 is refused as dom0"),
]
