"""Debian's Linux as dom0 on Debian's Xen 4.17: the baseline hv must match.

The scenario itself (the shell conversation and its assertions) lives in
_linux_dom0.py so hv runs exactly the same one. On Xen, dom0's poweroff
(SCHEDOP_shutdown(poweroff) with acpi=off) halts the machine: Xen prints
"Hardware Dom0 halted: halting machine" and QEMU keeps running, so the run
ends on that line.
"""
from _guest_pv import XEN_FORBID, XEN_IMAGE, fetch_xen
from _linux_dom0 import DOM0_MEM_MB, linux_dom0_scenario, read_cmdline

# The same line `make run-dom0-xen` boots Xen with (Config.mk).
XEN_CMDLINE = read_cmdline("xen-cmdline", DOM0_MEM=f"{DOM0_MEM_MB}M")

SCENARIOS = [
    linux_dom0_scenario(
        "linux_dom0_xen",
        hypervisor=XEN_IMAGE,
        cmdline=XEN_CMDLINE,
        hv_version=r"4\.17\b",
        end=r"\(XEN\) Hardware Dom0 halted: halting machine",
        expect_end=[r"\(XEN\) Hardware Dom0 halted: halting machine"],
        forbid=XEN_FORBID,
        prepare=fetch_xen,
        timeout=150,
        doc="Debian's Linux boots as dom0 on Xen 4.17 to a shell on hvc0: Xen modules, "
            "xenfs, privcmd hypercalls, our xenstored serving dom0's kernel, clean poweroff",
    ),
]
