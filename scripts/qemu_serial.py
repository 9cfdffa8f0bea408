"""Boot an ISO under QEMU and read its serial line until a marker or a
timeout: the one loop the benchmarks and the integration runner share.

    result = boot(iso, until, timeout, qemu=, accel=, cpu=, mem=, smp=, extra=)

QEMU runs headless: the serial port on a pipe (stderr merged into it, so
QEMU's own complaints show in the output), isa-debug-exit on port 0xf4 for
hv's exit_port=, no reboot. `until` says when the run has what it came
for: a bytes marker, a compiled bytes regex, or a function
until(output, send) called on each new piece of output with everything so
far (a bytearray) and a send(text) that types on the serial line; it
returns true to stop. QEMU is killed then, or at the timeout.

The result is a Boot: output (bytes), elapsed (seconds from QEMU's start
to the match, its exit or the timeout), status ("matched", "exited":
QEMU ended by itself first, "timeout") and QEMU's returncode (negative
when it was killed).

The QEMU settings follow Config.mk's QEMU, QEMU_ACCEL, QEMU_CPU and
QEMU_MEM; add_arguments() gives a script the matching --qemu, --accel,
--cpu and --mem options and qemu_options() hands them to boot(). A CPU
left unset follows the accelerator as in Config.mk: `host` under KVM,
`max,-smap` under TCG (a ring-3 PV kernel's own iretq faults under SMAP
with TCG; design.md, "How it is tested").
"""
import os
import select
import signal
import subprocess
import time
from dataclasses import dataclass

QEMU = "qemu-system-x86_64"
EXIT_PORT = "0xf4"


@dataclass
class Boot:
    output: bytes
    elapsed: float
    status: str
    returncode: int

    @property
    def matched(self):
        return self.status == "matched"

    def tail(self, n=400):
        return self.output[-n:].decode(errors="replace")


def default_cpu(accel):
    return "host" if accel == "kvm" else "max,-smap"


def command(iso, qemu=QEMU, accel="tcg", cpu=None, mem="1G", smp=1, extra=()):
    return [qemu, "-accel", accel, "-cpu", cpu or default_cpu(accel), "-m", str(mem),
            "-smp", str(smp), "-cdrom", iso, "-boot", "d", "-display", "none",
            "-vga", "none", "-monitor", "none", "-serial", "stdio", "-no-reboot",
            "-device", f"isa-debug-exit,iobase={EXIT_PORT},iosize=0x04"] + list(extra)


def _stop_test(until):
    if isinstance(until, (bytes, bytearray)):
        return lambda out, send: until in out
    if hasattr(until, "search"):
        return lambda out, send: until.search(out) is not None
    return until


def boot(iso, until, timeout, qemu=QEMU, accel="tcg", cpu=None, mem="1G", smp=1, extra=()):
    stop = _stop_test(until)
    start = time.monotonic()
    proc = subprocess.Popen(command(iso, qemu, accel, cpu, mem, smp, extra),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)

    def send(text):
        try:
            proc.stdin.write(text.encode() if isinstance(text, str) else text)
            proc.stdin.flush()
        except BrokenPipeError:
            pass        # QEMU is gone; the loop sees its end next

    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    out = bytearray()
    status = "exited"
    try:
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                status = "timeout"
                break
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    break
                out.extend(chunk)
                if stop(out, send):
                    status = "matched"
                    break
            elif proc.poll() is not None:
                break
    finally:
        elapsed = time.monotonic() - start
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        try:
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                out.extend(chunk)
        except OSError:
            pass
        proc.stdout.close()
        try:
            proc.stdin.close()
        except OSError:
            pass
    return Boot(bytes(out), elapsed, status, proc.returncode)


def add_arguments(ap, mem="1G"):
    """--qemu, --accel, --cpu and --mem, defaulting as Config.mk does."""
    ap.add_argument("--qemu", default=QEMU, help="QEMU binary (Config.mk QEMU)")
    ap.add_argument("--accel", default="tcg", help="tcg or kvm (Config.mk QEMU_ACCEL)")
    ap.add_argument("--cpu", default=None,
                    help="-cpu model (Config.mk QEMU_CPU); default host under KVM, "
                         "max,-smap under TCG")
    ap.add_argument("--mem", "--memory", dest="mem", default=mem,
                    help=f"guest RAM (Config.mk QEMU_MEM; default {mem})")


def qemu_options(opts):
    """boot()'s QEMU keywords from add_arguments()' options."""
    return {"qemu": opts.qemu, "accel": opts.accel,
            "cpu": opts.cpu or default_cpu(opts.accel), "mem": opts.mem}


def describe(opts):
    o = qemu_options(opts)
    return f"accel={o['accel']} cpu={o['cpu']} mem={o['mem']}"
