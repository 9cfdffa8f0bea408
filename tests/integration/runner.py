#!/usr/bin/env python3
"""Integration test runner: boots real ISOs under QEMU and judges serial output.

Each scenario (tests/integration/scenarios/*.py, a module-level SCENARIOS
list) names an hypervisor image, its command line and modules. The runner
builds a GRUB ISO for it, boots it with a timeout, feeds the serial line where
the scenario asks, and checks the output:

  expect   regexes that must all appear, in this order;
  forbid   regexes that must never appear;
  steps    (regex, text): when regex appears, type text on the serial line;
  end      a regex that ends the run early once every expectation is met
           (QEMU is then stopped); otherwise the run ends when QEMU exits;
  check    a function of the serial text returning None or a reason to fail;
  exit     the QEMU exit status required when QEMU exits by itself
           (hv: 0 = ACPI power-off, 3 = panic reported through exit_port=).

It prints one line per scenario and ends with `N passed, N failed`.
Logs go to build/tests/<scenario>/serial.log.
"""

import argparse
import concurrent.futures
import importlib.util
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "scripts"))

import qemu_serial  # noqa: E402  (QEMU and its serial line, shared with the benchmarks)

# hv hands a status to QEMU's isa-debug-exit device on this port (the
# exit_port= below); QEMU then exits with (value << 1) | 1.
EXIT_PORT = qemu_serial.EXIT_PORT


@dataclass
class Scenario:
    name: str
    cmdline: str = "console=com1 com1=115200,8n1 loglvl=all exit_port=0xf4"
    modules: list = field(default_factory=list)  # [(path, cmdline)], build-relative ok
    hypervisor: str = "{build}/hv"
    expect: list = field(default_factory=list)
    forbid: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    end: str = None
    exit: int = None
    timeout: int = 60
    memory: str = "1G"
    smp: int = 1
    qemu_args: list = field(default_factory=list)
    # Scenarios that provoke a panic on purpose turn the default check off.
    allow_panic: bool = False
    # Why the scenario exists, shown when it fails.
    doc: str = ""
    # Optional hook run before booting: prepare(build_dir, scenario_dir).
    prepare: object = None
    # Optional last check on the whole serial text: check(text) returns None
    # or what is wrong (for facts a regex cannot state, such as ratios).
    check: object = None


def default_forbid():
    # Whatever a scenario checks, hv must never fault on its own.
    return [r"\*\*\*\* hv PANIC", r"FATAL TRAP"]


def load_scenarios(filter_re):
    scen = []
    sdir = os.path.join(HERE, "scenarios")
    for fname in sorted(os.listdir(sdir)):
        if not fname.endswith(".py") or fname.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(fname[:-3], os.path.join(sdir, fname))
        mod = importlib.util.module_from_spec(spec)
        sys.path.insert(0, sdir)
        spec.loader.exec_module(mod)
        sys.path.pop(0)
        scen.extend(getattr(mod, "SCENARIOS", []))
    names = [s.name for s in scen]
    dups = {n for n in names if names.count(n) > 1}
    if dups:
        raise SystemExit(f"runner: duplicate scenario names: {sorted(dups)}")
    if filter_re:
        scen = [s for s in scen if re.search(filter_re, s.name)]
    return scen


class Result:
    def __init__(self, name):
        self.name = name
        self.ok = False
        self.reason = ""
        self.seconds = 0.0
        self.log = ""


def build_iso(build, sc, sdir):
    hv = sc.hypervisor.format(build=build)
    args = ["bash", os.path.join(TOP, "scripts", "mkiso.sh"), os.path.join(sdir, "boot.iso"), hv, sc.cmdline]
    for path, cmd in sc.modules:
        args += [path.format(build=build, sdir=sdir), cmd]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run_one(opts, sc):
    res = Result(sc.name)
    sdir = os.path.join(opts.build, "tests", sc.name)
    os.makedirs(sdir, exist_ok=True)
    res.log = os.path.join(sdir, "serial.log")
    try:
        if sc.prepare:
            sc.prepare(opts.build, sdir)
        build_iso(opts.build, sc, sdir)
    except subprocess.CalledProcessError as e:
        res.reason = "could not build the ISO: " + e.stderr.decode(errors="replace").strip()
        return res
    except Exception as e:  # a broken prepare hook is a test error, not a pass
        res.reason = f"could not prepare: {e}"
        return res

    expect = [re.compile(e) for e in sc.expect]
    forbid = [re.compile(f) for f in sc.forbid + ([] if sc.allow_panic else default_forbid())]
    steps = [(re.compile(p), t) for p, t in sc.steps]
    end = re.compile(sc.end) if sc.end else None
    exp_i = 0          # next expectation to find
    exp_pos = 0        # where in the text the search for it starts
    step_i = 0
    step_pos = 0
    scanned = 0        # forbidden output was looked for up to here

    def progress(out, send):
        """Match expectations in order, type each step's text when its
        pattern shows; true once `end` shows with everything else met, or
        as soon as forbidden output shows (the run has failed: why wait
        for its timeout)."""
        nonlocal exp_i, exp_pos, step_i, step_pos, scanned
        text = out.decode(errors="replace")
        # Patterns span at most a few lines: look again a little before;
        # stop once the offending line is whole, for the report.
        start, scanned = max(0, scanned - 512), len(text)
        for f in forbid:
            m = f.search(text, start)
            if m and "\n" in text[m.end():]:
                return True
            if m:
                scanned = min(scanned, m.start())   # see it again once whole
        while exp_i < len(expect):
            m = expect[exp_i].search(text, exp_pos)
            if not m:
                break
            exp_pos = m.end()
            exp_i += 1
        while step_i < len(steps):
            m = steps[step_i][0].search(text, step_pos)
            if not m:
                break
            step_pos = m.end()
            send(steps[step_i][1])
            step_i += 1
        return bool(end and exp_i == len(expect) and step_i == len(steps) and end.search(text))

    run = qemu_serial.boot(os.path.join(sdir, "boot.iso"), progress, sc.timeout,
                           qemu=opts.qemu, accel=opts.accel, cpu=opts.cpu, mem=sc.memory,
                           smp=sc.smp, extra=sc.qemu_args)
    timed_out = run.status == "timeout"
    ended = run.status == "matched"
    res.seconds = run.elapsed
    text = run.output.decode(errors="replace")
    with open(res.log, "w") as f:
        f.write(text)

    for f in forbid:
        m = f.search(text)
        if m:
            res.reason = f"forbidden output {f.pattern!r}: {text[m.start():m.start()+120]!r}"
            return res
    if exp_i < len(expect):
        res.reason = f"missing expected output {expect[exp_i].pattern!r}"
        if timed_out:
            res.reason += f" (timed out after {sc.timeout}s)"
        return res
    if step_i < len(steps):
        res.reason = f"never saw {steps[step_i][0].pattern!r} to type {steps[step_i][1]!r}"
        return res
    if timed_out:
        res.reason = f"timed out after {sc.timeout}s" + (f" waiting for {sc.end!r}" if sc.end else " waiting for QEMU to exit")
        return res
    if not ended and sc.exit is not None and run.returncode != sc.exit:
        res.reason = f"QEMU exit status {run.returncode}, expected {sc.exit}"
        return res
    if sc.check:
        why = sc.check(text)
        if why:
            res.reason = why
            return res
    res.ok = True
    return res


def qemu_version(qemu):
    try:
        v = subprocess.run([qemu, "--version"], capture_output=True, text=True).stdout
        return v.splitlines()[0]
    except OSError:
        return "not found"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--qemu", default=qemu_serial.QEMU)
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--cpu", default=None, help="default host under KVM, max,-smap under TCG")
    ap.add_argument("--filter", default=None)
    opts = ap.parse_args()
    opts.build = os.path.abspath(opts.build)
    opts.cpu = opts.cpu or qemu_serial.default_cpu(opts.accel)

    scen = load_scenarios(opts.filter)
    print(f"integration: {qemu_version(opts.qemu)}, accel={opts.accel}, cpu={opts.cpu}, "
          f"{len(scen)} scenarios, {opts.jobs} at a time", flush=True)
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as ex:
        futs = {ex.submit(run_one, opts, s): s for s in scen}
        for fut in concurrent.futures.as_completed(futs):
            sc = futs[fut]
            res = fut.result()
            if res.ok:
                passed += 1
                print(f"PASS {res.name} ({res.seconds:.1f}s)", flush=True)
            else:
                failed += 1
                print(f"FAIL {res.name} ({res.seconds:.1f}s): {res.reason}", flush=True)
                if sc.doc:
                    print(f"     scenario: {sc.doc}", flush=True)
                print(f"     log: {res.log}", flush=True)
                try:
                    tail = open(res.log, errors="replace").read().splitlines()[-15:]
                    for line in tail:
                        print(f"     | {line}", flush=True)
                except OSError:
                    pass
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
