"""Debian's Linux as dom0 on hv, exactly as on Xen 4.17 (linux_dom0_xen.py).

The kernel module is build/dom0/vmlinuz as Debian ships it, a bzImage:
hv unpacks its XZ payload (a line gives sizes and time) and builds dom0
from the ELF inside. The shell conversation and its assertions are
_linux_dom0.py's. dom0's poweroff powers the machine off through
isa-debug-exit, so QEMU exits 0.
"""
from _linux_dom0 import HV_CMDLINE, linux_dom0_scenario

UNPACKED = r"dom0 kernel: bzImage, XZ payload \d+ bytes -> \d+ bytes ELF \(\d+ ms\)"


def _scenario():
    sc = linux_dom0_scenario(
        "linux_dom0_hv",
        hypervisor="{build}/hv",
        cmdline=HV_CMDLINE,
        hv_version=r"4\.17-hv",
        exit=0,
        expect_end=[r"domain 0 shut down: poweroff"],
        forbid=[r"hv PANIC", r"domain 0 crashed"],
        timeout=300,
        doc="Debian's vmlinuz (bzImage, XZ payload) boots as dom0 on hv to a shell on hvc0: "
            "Xen modules, xenfs, privcmd hypercalls, our xenstored serving dom0's kernel, "
            "clean poweroff",
    )
    fill = sc.prepare

    def prepare(build, sdir):
        fill(build, sdir)               # builds the payload and the conversation
        sc.expect.insert(0, UNPACKED)   # ...which hv unpacks first

    sc.prepare = prepare
    return sc


SCENARIOS = [_scenario()]
