#!/usr/bin/env python3
"""Seconds from QEMU start to hv's banner on the serial line (median of N).

    bench_boot.py BUILD_DIR [runs]

Boots build/hv alone through GRUB under TCG, as the integration tests do.
Wall-clock under TCG says little about hardware; the figure is for
spotting regressions in hv's early boot, GRUB included.
"""
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BANNER = b"(HV) hv version"


def one_boot(iso):
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max,-smap", "-m", "1G",
           "-cdrom", iso, "-boot", "d", "-display", "none", "-vga", "none",
           "-monitor", "none", "-serial", "stdio", "-no-reboot"]
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = b""
    try:
        while time.monotonic() - start < 60:
            r, _, _ = select.select([p.stdout], [], [], 1)
            if r:
                chunk = os.read(p.stdout.fileno(), 65536)
                if not chunk:
                    break
                out += chunk
                if BANNER in out:
                    return time.monotonic() - start
    finally:
        p.kill()
        p.wait()
    raise SystemExit("bench_boot: no banner within 60 s")


def main():
    build = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as d:
        iso = os.path.join(d, "hv.iso")
        subprocess.run(["bash", os.path.join(TOP, "scripts", "mkiso.sh"), iso,
                        os.path.join(build, "hv"), "console=com1 loglvl=info"], check=True)
        times = [one_boot(iso) for _ in range(runs)]
    size = os.path.getsize(os.path.join(build, "hv"))
    print(f"bench boot_to_banner_s median={statistics.median(times):.3f} "
          f"min={min(times):.3f} max={max(times):.3f} runs={runs}")
    print(f"bench hv_image_bytes {size}")


if __name__ == "__main__":
    main()
