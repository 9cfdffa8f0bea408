"""Shared expectations for guest-pv runs, on any hypervisor.

guest-pv (build/guest-pv/guest-pv) boots as dom0, runs its in-guest ABI
test suite and prints one line per test, then

    guest-pv: running T of T tests (tests=*)
    ...
    guest-pv: P passed, 0 failed
    guest-pv: powering off

and shuts down with SCHEDOP_shutdown(poweroff). The same binary and the
same expectations serve for Xen 4.17 (the oracle, guest_pv_xen.py) and for
hv: call guest_pv_scenario() with hypervisor="{build}/hv" and hv's command
line. Xen only halts on dom0 poweroff (QEMU keeps running), so its
scenarios end on Xen's "Dom0 halted" line; hv scenarios can instead pass
end=None and exit=<status> if hv ends QEMU through isa-debug-exit.
"""
import fnmatch
import glob
import os
import re
import subprocess

from runner import Scenario

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
GUEST = "{build}/guest-pv/guest-pv"

XEN_IMAGE = "{build}/xen/xen.gz"
XEN_CMDLINE = ("console=com1 com1=115200,8n1 dom0_mem=64M dom0_max_vcpus=1 "
               "loglvl=all guest_loglvl=all noreboot")
XEN_END = r"\(XEN\) Hardware Dom0 halted"
XEN_FORBID = [r"\(XEN\) Hardware Dom0 crashed", r"\(XEN\) Panic on CPU", r"\(XEN\) \*\*\*\* "]


def test_names():
    """group.name of every TEST(group, name) in guest-pv's sources."""
    names = []
    for path in glob.glob(os.path.join(TOP, "guest-pv", "tests", "*.c")):
        with open(path) as f:
            for line in f:
                m = re.match(r"\s*TEST\(\s*(\w+)\s*,\s*(\w+)\s*\)", line)
                if m:
                    names.append(f"{m.group(1)}.{m.group(2)}")
    return names


def count_tests(patterns=None):
    """Number of tests, or of those guest-pv's tests= globs select (a name
    matching some glob and none written "!glob")."""
    names = test_names()
    if not patterns:
        return len(names)
    take = [p for p in patterns if not p.startswith("!")]
    drop = [p[1:] for p in patterns if p.startswith("!")]
    return sum(1 for n in names if any(fnmatch.fnmatchcase(n, p) for p in take)
               and not any(fnmatch.fnmatchcase(n, p) for p in drop))


def at_least(n):
    """A regex matching a decimal number >= n (n >= 0)."""
    s = str(n)
    alts = [s]
    for i, d in enumerate(s):
        # Same prefix, a larger digit here, anything after.
        if d != "9":
            rest = len(s) - i - 1
            alts.append(s[:i] + f"[{int(d) + 1}-9]" + (rf"\d{{{rest}}}" if rest else ""))
    alts.append(rf"[1-9]\d{{{len(s)},}}")
    return "(?:" + "|".join(alts) + ")"


# A test's SKIP line, dom0's or a domU's ("(d3) SKIP group.name: why").
SKIP_LINE = re.compile(r"(?m)^(?:\(d\d+\) )?SKIP (\S+): ([^\r\n]*)")

# Why a test may skip where it is not meant to run (regexes matched at the
# reason's start). Anything else (an empty frame pool, a set-up that
# failed) is a hidden failure.
SKIP_REASONS = {
    "hv_only": r"only meaningful on hv",
    "xen_only": r"only meaningful on xen",
    "domu_only": r"dom0 may use the control interface",
    "dom0_control": r"the control interface is dom0's",
    "dom0_grants": r"grants to itself need the domain's own id: dom0 only",
    "dom0_grantee": r"a grant names its grantee's domid; only dom0 knows its own",
    "dom0_cmdline": r"the hypervisor command line is for the initial domain",
    "dom0_memory_map": r"needs the host memory map to find a frame that is not ours",
    "dom0_sysctl": r"sysctl is dom0's",
    "domu_max_far": r"maximum_reservation \d+ is far above current",
    # A domU holds the toolstack's ports: a full reset would cut them.
    "domu_ports": r"port \d+ is open before the test: a reset would close it",
}


def skips_only(*kinds):
    """check=: every SKIP gives one of SKIP_REASONS[kinds]."""
    reasons = re.compile("|".join(f"(?:{SKIP_REASONS[k]})" for k in kinds))

    def check(text):
        for m in SKIP_LINE.finditer(text):
            if not reasons.match(m.group(2)):
                return f"{m.group(1)} skipped for an unexpected reason: {m.group(2)!r}"
        return None
    return check


def all_checks(*checks):
    """check=: the first failure of several checks."""
    def check(text):
        for c in checks:
            why = c(text)
            if why:
                return why
        return None
    return check


def fetch_xen(build, sdir):
    """prepare hook: make sure $BUILD/xen/xen.gz exists (cached, locked)."""
    subprocess.run(["bash", os.path.join(TOP, "scripts", "fetch-xen.sh"), build],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def guest_pv_scenario(name, hypervisor, cmdline, guest_cmdline="", max_skipped=0,
                      end=None, exit=None, timeout=120, prepare=None, forbid=(),
                      memory="1G", doc="", tests=None, skips=()):
    """guest-pv runs its whole suite (or the groups in `tests`, a list of
    guest-pv tests= globs): every selected test runs, none fails, at most
    max_skipped are skipped (tests tied to one hypervisor skip elsewhere),
    each for one of the SKIP_REASONS named in `skips`."""
    everything = count_tests()
    total = count_tests(tests)
    if tests:
        guest_cmdline = (guest_cmdline + " tests=" + ",".join(tests)).strip()
    return Scenario(
        name=name,
        hypervisor=hypervisor,
        cmdline=cmdline,
        modules=[(GUEST, guest_cmdline)],
        expect=[
            r"guest-pv: start_info ",
            rf"guest-pv: running {total} of {everything} tests",
            rf"guest-pv: {at_least(total - max_skipped)} passed, 0 failed",
            r"guest-pv: powering off",
        ],
        forbid=[r"(?m)^FAIL ", r"guest-pv: PANIC", r"guest-pv: unexpected exception"] + list(forbid),
        check=skips_only(*skips),
        end=end,
        exit=exit,
        timeout=timeout,
        memory=memory,
        prepare=prepare,
        doc=doc or f"guest-pv's {total} ABI tests pass as dom0 on {hypervisor}",
    )


def guest_pv_fault_scenario(name, hypervisor, cmdline, end=None, exit=None, timeout=120,
                            prepare=None, forbid=(), doc=""):
    """mode=fault: an unexpected #PF is reported with vector, rip, error
    code and cr2, and the domain shuts down as crashed."""
    return Scenario(
        name=name,
        hypervisor=hypervisor,
        cmdline=cmdline,
        modules=[(GUEST, "mode=fault")],
        expect=[
            r"guest-pv: mode=fault: reading address 0x10",
            r"guest-pv: unexpected exception vec=14 \(#PF\) rip=ffffffff8\w+ err=0 cr2=10\b",
        ],
        forbid=[r"guest-pv: powering off"] + list(forbid),
        end=end,
        exit=exit,
        timeout=timeout,
        prepare=prepare,
        doc=doc or f"guest-pv's crash path reports an unexpected #PF on {hypervisor}",
    )


# guest-pv's benchmarks (guest-pv/bench/bench.c), in the order they run.
BENCH_NAMES = [
    "null_hypercall_cycles", "null_hypercall_direct_cycles", "int3_bounce_iret_cycles",
    "evtchn_loopback_roundtrip_cycles", "mmu_update_batch512_per_entry_cycles",
    "update_va_mapping_cycles", "user_syscall_bounce_iret_cycles", "grant_map_unmap_cycles",
    "grant_copy_4k_cycles", "grant_copy_4k_batch16_per_copy_cycles",
]


def guest_pv_bench_scenario(name, hypervisor, cmdline, end=None, exit=None, timeout=300,
                            prepare=None, forbid=()):
    """mode=bench: every benchmark prints `bench <name> median=N ...` (rdtsc
    cycles); none may report `failed` (`make bench` would show a hole)."""
    return Scenario(
        name=name,
        hypervisor=hypervisor,
        cmdline=cmdline,
        modules=[(GUEST, "mode=bench")],
        expect=[rf"bench {n} median=[1-9]\d* min=\d+ max=\d+" for n in BENCH_NAMES]
        + [r"guest-pv: powering off"],
        forbid=[r"guest-pv: PANIC", r"guest-pv: unexpected exception", r"bench \w+ failed"]
        + list(forbid),
        end=end,
        exit=exit,
        timeout=timeout,
        prepare=prepare,
        doc=f"guest-pv micro-benchmarks on {hypervisor}",
    )
