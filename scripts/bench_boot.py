#!/usr/bin/env python3
"""Seconds from QEMU start to hv's banner on the serial line (median of N).

    bench_boot.py BUILD_DIR [runs] [--qemu Q] [--accel A] [--cpu C] [--mem M]

Boots build/hv alone through GRUB, as the integration tests do, with
Config.mk's QEMU settings (the Makefile passes them; TCG by default).
Wall-clock under TCG says little about hardware; the figure is for
spotting regressions in hv's early boot, GRUB included.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import qemu_serial

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BANNER = b"(HV) hv version"
TIMEOUT = 60


def one_boot(iso, qemu):
    b = qemu_serial.boot(iso, BANNER, TIMEOUT, **qemu)
    if not b.matched:
        sys.exit(f"bench_boot: no banner within {TIMEOUT} s ({b.status}); last output:\n"
                 f"{b.tail()}")
    return b.elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build")
    ap.add_argument("runs", nargs="?", type=int, default=5)
    qemu_serial.add_arguments(ap)
    opts = ap.parse_args()
    if opts.runs < 1:
        ap.error("runs must be at least 1")
    qemu = qemu_serial.qemu_options(opts)
    with tempfile.TemporaryDirectory() as d:
        iso = os.path.join(d, "hv.iso")
        subprocess.run(["bash", os.path.join(TOP, "scripts", "mkiso.sh"), iso,
                        os.path.join(opts.build, "hv"), "console=com1 loglvl=info"], check=True)
        times = [one_boot(iso, qemu) for _ in range(opts.runs)]
    size = os.path.getsize(os.path.join(opts.build, "hv"))
    print(f"bench boot_to_banner_s median={statistics.median(times):.3f} "
          f"min={min(times):.3f} max={max(times):.3f} runs={opts.runs} "
          f"({qemu_serial.describe(opts)})")
    print(f"bench hv_image_bytes {size}")


if __name__ == "__main__":
    main()
