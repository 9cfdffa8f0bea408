#!/usr/bin/env python3
"""guest-pv's micro-benchmarks on hv and on Xen 4.17, in one invocation.

    bench_guest_pv.py BUILD_DIR [boots] [--qemu Q] [--accel A] [--cpu C] [--mem M]

Boots guest-pv (mode=bench) as dom0 on each hypervisor under the same QEMU
(Config.mk's settings, which the Makefile passes; TCG by default),
`boots` times each, in two clock modes:

  tcg     plain TCG: rdtsc cycles, noisy, says little about hardware
          (named kvm, and the only mode, with --accel kvm);
  icount  -icount shift=0,align=off,sleep=off: guest time advances 1 ns per
          emulated instruction, so a figure is the exact, repeatable path
          length of the operation (hypervisor included). TCG only.

Exits 1 when any figure is missing or failed or a boot went wrong.
Prints each benchmark's median over the boots (each boot already reports a
median of batches) and the hv/Xen ratio (lower is better for hv). A figure
a hypervisor did not produce is shown as `failed` (the guest printed
`bench <name> failed: <why>`: its hypercalls were refused) or `missing`
(no line at all: the boot crashed or timed out before it); the reasons
are listed under the table.

A second boot on each hypervisor times what happens between two domains:
guest-pv as dom0 (mode=bench_domu) builds a domU itself through the
hypervisor's control interface (hv's, or Xen 4.17's domctl) and measures
an event-channel round trip to it and a grant map+unmap of a page it
granted (evtchn_domu_roundtrip_cycles, grant_map_unmap_domu_cycles). The
same code runs on both; only the backend that builds the domU differs.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

import qemu_serial

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(rb"bench (\w+) median=(\d+)")
FAILED = re.compile(rb"bench (\w+) failed: ([^\r\n]*)")
CRASH = (b"guest-pv: unexpected exception", b"guest-pv: PANIC", b"crashed", b"Panic on CPU")
HV_CMDLINE = "console=com1 loglvl=warning exit_port=0xf4 dom0_mem=64M"
XEN_CMDLINE = "console=com1 com1=115200,8n1 dom0_mem=64M dom0_max_vcpus=1 noreboot"
# dom0's last line; a domU's "(dN) guest-pv: powering off" does not end the boot.
DONE = re.compile(rb"(?:^|\n)guest-pv: powering off")


def boot(iso, icount, qemu, timeout=240):
    extra = ["-icount", "shift=0,align=off,sleep=off"] if icount else []
    b = qemu_serial.boot(iso, DONE, timeout, extra=extra, **qemu)
    if b.matched:
        status = "ok"
    elif any(c in b.output for c in CRASH):
        status = "crashed"
    elif b.status == "exited":
        status = f"ended early (QEMU exit status {b.returncode})"
    else:
        status = "timed out"
    figures = {m.group(1).decode(): int(m.group(2)) for m in LINE.finditer(b.output)}
    failed = {m.group(1).decode(): m.group(2).decode(errors="replace").strip()
              for m in FAILED.finditer(b.output)}
    return figures, failed, status


def cell(values, failed, name):
    """A median, or why there is none."""
    if name in values:
        return statistics.median(values[name])
    return "failed" if name in failed else "missing"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build")
    ap.add_argument("boots", nargs="?", type=int, default=3)
    qemu_serial.add_arguments(ap)
    opts = ap.parse_args()
    if opts.boots < 1:
        ap.error("boots must be at least 1")
    build = os.path.abspath(opts.build)
    boots = opts.boots
    qemu = qemu_serial.qemu_options(opts)
    # The plain mode is named after the accelerator; icount needs TCG.
    plain = opts.accel.split(",")[0]
    modes = [plain] + (["icount"] if plain == "tcg" else [])
    guest = os.path.join(build, "guest-pv", "guest-pv")
    subprocess.run(["bash", os.path.join(TOP, "scripts", "fetch-xen.sh"), build], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"guest-pv benchmarks under QEMU {qemu_serial.describe(opts)}", flush=True)
    if "icount" not in modes:
        print(f"  icount: not run, QEMU's -icount needs TCG (accel={opts.accel})", flush=True)
    with tempfile.TemporaryDirectory() as d:
        isos = {}
        for name, image, cmdline in (("hv", os.path.join(build, "hv"), HV_CMDLINE),
                                     ("xen", os.path.join(build, "xen", "xen.gz"), XEN_CMDLINE)):
            isos[name] = os.path.join(d, name + ".iso")
            subprocess.run(["bash", os.path.join(TOP, "scripts", "mkiso.sh"), isos[name], image,
                            cmdline, guest, "mode=bench"], check=True)
            # dom0 builds a domU from its initrd (guest-pv again) and times the two together.
            isos[name + "-domu"] = os.path.join(d, name + "-domu.iso")
            subprocess.run(["bash", os.path.join(TOP, "scripts", "mkiso.sh"),
                            isos[name + "-domu"], image, cmdline, guest,
                            f"mode=bench_domu target={name}", guest, ""], check=True)
        bad = False
        for mode in modes:
            results = {"hv": {}, "xen": {}}
            failures = {"hv": {}, "xen": {}}
            problems = []
            for _ in range(boots):
                runs = [("hv", isos["hv"]), ("xen", isos["xen"]), ("hv", isos["hv-domu"]),
                        ("xen", isos["xen-domu"])]
                for name, iso in runs:
                    figures, failed, status = boot(iso, mode == "icount", qemu)
                    for k, v in figures.items():
                        results[name].setdefault(k, []).append(v)
                    failures[name].update(failed)
                    if status != "ok":
                        problems.append(f"{name} ({os.path.basename(iso)}): boot {status}")
            unit = "ns = instructions" if mode == "icount" else "cycles"
            print(f"guest-pv benchmarks, {mode} ({unit}), median of {boots} boots:")
            names = set()
            for side in ("hv", "xen"):
                names |= set(results[side]) | set(failures[side])
            for k in sorted(names):
                hv = cell(results["hv"], failures["hv"], k)
                xen = cell(results["xen"], failures["xen"], k)
                both = isinstance(hv, (int, float)) and isinstance(xen, (int, float)) and xen
                ratio = f"{hv / xen:.2f}" if both else "n/a"
                print(f"bench {mode} {k:36s} hv={hv!s:>10} xen={xen!s:>10} hv/xen={ratio}")
                bad |= not both
            for side in ("hv", "xen"):
                for k, why in sorted(failures[side].items()):
                    print(f"  {side}: {k} failed: {why}")
            for p in sorted(set(problems)):
                print(f"  {p}")
            bad |= bool(problems)
    # A hole in the table is a failure of `make bench`, not a footnote.
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
