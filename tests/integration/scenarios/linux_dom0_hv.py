"""Debian's Linux as dom0 on hv, exactly as on Xen 4.17 (linux_dom0_xen.py).

The kernel module is build/dom0/vmlinuz as Debian ships it, a bzImage:
hv unpacks its XZ payload (a line gives sizes and time) and builds dom0
from the ELF inside. The shell conversation and its assertions are
_linux_dom0.py's. dom0's poweroff powers the machine off through
isa-debug-exit, so QEMU exits 0.
"""
from _linux_dom0 import CONVERSATION, HV_CMDLINE, linux_dom0_scenario

UNPACKED = r"dom0 kernel: bzImage, XZ payload \d+ bytes -> \d+ bytes ELF \(\d+ ms\)"

# hv's own control interface from dom0's user space: a sysctl through
# /dev/xen/privcmd lists the domains, and dom0 is there, running, with the
# memory dom0_mem gave it (MiB, less what Linux handed back) and 1 vCPU.
LIST = ('hvctl list; echo "Q=$?"', r"(?m)^Q=",
        r"(?m)^Name +ID +Mem +VCPUs +State +Time\(s\)\r*\n"
        r"Domain-0 +0 +(4\d\d|5[01]\d) +1 +r----- +\d+\.\d\r*\n[\s\S]*?^Q=0\r*$")

# hv's debug keys while Linux runs: three Ctrl-A give the serial line to
# hv (d domains, m memory), three more give it back, and the rest of the
# line reaches dom0's shell. Had d or m reached dom0, the shell would run
# "dmecho" and say "not found" (forbidden).
CTRL_A3 = "\x01\x01\x01"
DEBUG_KEYS = (CTRL_A3 + "dm" + CTRL_A3 + 'echo "G=ok"', r"(?m)^G=",
              r"\*\*\* serial input to hv[\s\S]*?domain 0: running, \d+/\d+ pages"
              r"[\s\S]*?memory: \d+ of \d+ frames free[\s\S]*?\*\*\* serial input to dom0"
              r"[\s\S]*?(?m:^G=ok\r*$)")

# The last step of CONVERSATION is poweroff; this boot reboots instead.
# busybox's reboot ends in SCHEDOP_shutdown(reboot): hv resets the
# machine, and QEMU (-no-reboot) exits 0 on the reset.
REBOOT = ("reboot", r"reboot: Restarting system",
          r"dom0: shutting down[\s\S]*?reboot: Restarting system")


def _scenario():
    sc = linux_dom0_scenario(
        "linux_dom0_hv",
        hypervisor="{build}/hv",
        cmdline=HV_CMDLINE,
        hv_version=r"4\.17-hv",
        exit=0,
        expect_end=[r"domain 0 shut down: poweroff"],
        extra=[LIST, DEBUG_KEYS],
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


def _reboot():
    return linux_dom0_scenario(
        "linux_dom0_hv_reboot",
        hypervisor="{build}/hv",
        cmdline=HV_CMDLINE,
        hv_version=r"4\.17-hv",
        commands=[CONVERSATION[0], REBOOT],
        check=None,
        exit=0,
        expect_end=[r"domain 0 shut down: reboot", r"Restarting\."],
        forbid=[r"hv PANIC", r"domain 0 crashed", r"Powering off"],
        timeout=300,
        doc="Debian's Linux as dom0 on hv: `reboot` in dom0 restarts the machine",
    )


SCENARIOS = [_scenario(), _reboot()]
