#!/usr/bin/env python3
"""Seconds from QEMU start to dom0's shell: Debian's Linux with our
initramfs, booted through GRUB on each hypervisor asked for (median of N).

    bench_dom0.py [--build DIR] [--runs N] [--on xen[,hv]]
                  [--qemu Q] [--accel A] [--cpu C] [--mem M]

Each hypervisor boots the same build/dom0/ payload with the same dom0
command line and dom0_mem as the integration scenarios (_linux_dom0.py,
linux_dom0_xen.py); the clock stops when dom0's login shell prints
"dom0: shell on /dev/hvc0". QEMU runs with Config.mk's settings (the
Makefile passes them; TCG by default). Under TCG the figures say little
about hardware; they are for spotting regressions and for the hv/Xen ratio.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import qemu_serial

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(TOP, "tests", "integration"),
                os.path.join(TOP, "tests", "integration", "scenarios")]

from _linux_dom0 import HV_CMDLINE, INITRD, KERNEL, dom0_cmdline  # noqa: E402
from linux_dom0_xen import XEN_CMDLINE  # noqa: E402

MARKER = b"dom0: shell on /dev/hvc0"
BOOT_TIMEOUT = 180

# What each hypervisor boots with; add one here and name it in --on.
HYPERVISORS = {
    "xen": {"image": "{build}/xen/xen.gz", "cmdline": XEN_CMDLINE,
            "prepare": ["scripts/fetch-xen.sh"]},
    "hv": {"image": "{build}/hv", "cmdline": HV_CMDLINE, "prepare": []},
}


def make_iso(build, name, iso):
    hv = HYPERVISORS[name]
    for script in hv["prepare"]:
        subprocess.run(["bash", os.path.join(TOP, script), build], check=True)
    subprocess.run(["bash", os.path.join(TOP, "scripts", "mkiso.sh"), iso,
                    hv["image"].format(build=build), hv["cmdline"],
                    KERNEL.format(build=build), dom0_cmdline(),
                    INITRD.format(build=build), ""], check=True)


def one_boot(iso, qemu):
    b = qemu_serial.boot(iso, MARKER, BOOT_TIMEOUT, **qemu)
    if not b.matched:
        raise RuntimeError(f"no dom0 shell within {BOOT_TIMEOUT} s ({b.status}); "
                           f"last output:\n{b.tail()}")
    return b.elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--on", default="xen", help="comma-separated: " + ",".join(HYPERVISORS))
    qemu_serial.add_arguments(ap)
    opts = ap.parse_args()
    qemu = qemu_serial.qemu_options(opts)
    build = os.path.abspath(opts.build)
    names = [n for n in opts.on.split(",") if n]
    unknown = [n for n in names if n not in HYPERVISORS]
    if unknown or not names or opts.runs < 1:
        ap.error(f"--on takes {sorted(HYPERVISORS)}, --runs at least 1")
    for f in (KERNEL, INITRD):
        if not os.path.exists(f.format(build=build)):
            sys.exit(f"bench_dom0: {f.format(build=build)} missing: run `make dom0` first")

    medians = {}
    with tempfile.TemporaryDirectory() as d:
        for name in names:
            iso = os.path.join(d, f"{name}.iso")
            make_iso(build, name, iso)
            try:
                times = [one_boot(iso, qemu) for _ in range(opts.runs)]
            except RuntimeError as e:
                print(f"bench dom0_shell_s[{name}] FAILED: {e}", flush=True)
                continue
            medians[name] = statistics.median(times)
            print(f"bench dom0_shell_s[{name}] median={medians[name]:.2f} "
                  f"min={min(times):.2f} max={max(times):.2f} runs={opts.runs} "
                  f"({qemu_serial.describe(opts)})", flush=True)
    if "xen" in medians and "hv" in medians:
        print(f"bench dom0_shell_ratio hv/xen={medians['hv'] / medians['xen']:.2f}")
    return 0 if len(medians) == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
