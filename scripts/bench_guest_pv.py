#!/usr/bin/env python3
"""guest-pv's micro-benchmarks on hv and on Xen 4.17, in one invocation.

    bench_guest_pv.py BUILD_DIR [boots]

Boots guest-pv (mode=bench) as dom0 on each hypervisor under the same QEMU,
`boots` times each, in two clock modes:

  tcg     plain TCG: rdtsc cycles, noisy, says little about hardware;
  icount  -icount shift=0,align=off,sleep=off: guest time advances 1 ns per
          emulated instruction, so a figure is the exact, repeatable path
          length of the operation (hypervisor included).

Prints each benchmark's median over the boots (each boot already reports a
median of batches) and the hv/Xen ratio (lower is better for hv).

The interdomain event-channel round trip (dom0 mode=ping against a domU in
mode=pong) runs on hv only: hv starts the domU from a boot module, while
Xen needs its toolstack to create one.
"""
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(rb"bench (\w+) median=(\d+)")
HV_CMDLINE = "console=com1 loglvl=warning exit_port=0xf4 dom0_mem=64M"
XEN_CMDLINE = "console=com1 com1=115200,8n1 dom0_mem=64M dom0_max_vcpus=1 noreboot"
DONE = (b"guest-pv: powering off",)


def boot(iso, icount, timeout=240):
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max,-smap", "-m", "1G",
           "-cdrom", iso, "-boot", "d", "-display", "none", "-vga", "none",
           "-monitor", "none", "-serial", "stdio", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if icount:
        cmd += ["-icount", "shift=0,align=off,sleep=off"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out, start = b"", time.monotonic()
    try:
        while time.monotonic() - start < timeout:
            r, _, _ = select.select([p.stdout], [], [], 1)
            if r:
                chunk = os.read(p.stdout.fileno(), 65536)
                if not chunk:
                    break
                out += chunk
                if any(d in out for d in DONE):
                    break
    finally:
        p.kill()
        p.wait()
    return {m.group(1).decode(): int(m.group(2)) for m in LINE.finditer(out)}


def main():
    build = os.path.abspath(sys.argv[1])
    boots = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    guest = os.path.join(build, "guest-pv", "guest-pv")
    subprocess.run(["bash", os.path.join(TOP, "scripts", "fetch-xen.sh"), build], check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as d:
        isos = {}
        for name, image, cmdline in (("hv", os.path.join(build, "hv"), HV_CMDLINE),
                                     ("xen", os.path.join(build, "xen", "xen.gz"), XEN_CMDLINE)):
            isos[name] = os.path.join(d, name + ".iso")
            subprocess.run(["bash", os.path.join(TOP, "scripts", "mkiso.sh"), isos[name], image,
                            cmdline, guest, "mode=bench"], check=True)
        pingpong = os.path.join(d, "pingpong.iso")
        subprocess.run(["bash", os.path.join(TOP, "scripts", "mkiso.sh"), pingpong,
                        os.path.join(build, "hv"), HV_CMDLINE + " domu=1", guest,
                        "mode=ping rounds=1000", guest, "mode=pong"], check=True)
        for mode in ("tcg", "icount"):
            results = {"hv": {}, "xen": {}}
            for _ in range(boots):
                for name in ("hv", "xen"):
                    for k, v in boot(isos[name], mode == "icount").items():
                        results[name].setdefault(k, []).append(v)
                for k, v in boot(pingpong, mode == "icount").items():
                    results["hv"].setdefault(k, []).append(v)
            unit = "cycles" if mode == "tcg" else "ns = instructions"
            print(f"guest-pv benchmarks, {mode} ({unit}), median of {boots} boots:")
            for k in sorted(set(results["hv"]) | set(results["xen"])):
                hv = statistics.median(results["hv"][k]) if k in results["hv"] else None
                xen = statistics.median(results["xen"][k]) if k in results["xen"] else None
                ratio = f"{hv / xen:.2f}" if hv and xen else "n/a"
                print(f"bench {mode} {k:28s} hv={hv!s:>10} xen={xen!s:>10} hv/xen={ratio}")


if __name__ == "__main__":
    main()
