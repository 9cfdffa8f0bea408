"""hv's control interface, driven by guest-pv as dom0's toolstack.

- control_hv_peer: dom0 (mode=control) gets guest-pv's own ELF as its
  initrd (the second boot module), builds it into a new domain with the
  shared PV builder (dom0-tools/builder) through the control interface
  alone, starts it in mode=peer, and the two exchange data both ways over
  a ring the domU grants and an interdomain event channel; then dom0
  unmaps, destroys the domain and checks hv's free frames, heap and
  timers are back to their values after the warm-up round. In between, a
  domain built the same way runs guest-pv's ABI suite as a domU (the same
  run as control_xen_peer on Xen 4.17, control_xen.py).
- control_hv_bench: mode=bench_domu, the event-channel round trip and the
  grant map+unmap between dom0 and a domain it built (make bench runs it
  on hv and on Xen, scripts/bench_guest_pv.py): the figures are there.
- control_hv_domctl: guest-pv's domctl.* tests, every command with valid
  and invalid input.
- control_hv_domu_refused: a domU (domu=1) gets -EPERM for every domctl
  and sysctl; dom0 (mode=watch) waits for it to power off.
- control_hv_churn: 1000 small domains created and destroyed (populated,
  an event channel bound, a frame mapped by dom0 across the destroy), a
  real one built and run every 50 (half of them destroyed while they
  run), then the same leak check and the median create+destroy time.
- control_hv_boot_domu_too_big: a domu= domain that cannot get its memory
  is destroyed half built, and dom0 can use every frame it had taken.
- control_hv_ctlhammer: 20000 domctls and sysctls from dom0 with random
  commands, domain ids and fields (hostile pointers among them): hv
  answers each, never faults, and once the domains are destroyed its free
  frames, heap and timers are what they were.
"""
import re

from _guest_pv import GUEST, all_checks, at_least, count_tests, skips_only
from runner import Scenario

HV_CMDLINE = "console=com1 com1=115200,8n1 loglvl=info exit_port=0xf4 dom0_mem=64M"
FORBID = [r"(?m)FAIL ", r"PANIC", r"crashed", r"unexpected exception"]


# What control mode runs as a domU (its DOMU_TESTS): the ABI suite but for
# what a release Xen keeps from unprivileged domains. 176 pass today, the
# rest skip, each for a reason of DOMU_SKIPS (dom0's own tests, grants to
# itself, hv's domctl, the host memory map, the hypervisor's version).
DOMU_TESTS = ["*", "!console_io.*"]
DOMU_SKIPS = ("dom0_control", "dom0_grants", "dom0_grantee", "dom0_cmdline",
              "dom0_memory_map", "dom0_sysctl", "domu_max_far", "domu_ports", "xen_only",
              "hv_only")
DOMU_EXPECT = [
    rf"\(d\d+\) guest-pv: running {count_tests(DOMU_TESTS)} of {count_tests()} tests",
    rf"\(d\d+\) guest-pv: {at_least(176)} passed, 0 failed",
    r"PASS control.domu_tests: domain \d+ ran tests=\*,!console_io.\* "
    r"and powered off",
]


# mode=bench_domu: the figures, then the domain's clean end.
BENCH_DOMU_EXPECT = [
    r"\(d\d+\) guest-pv: bench_peer: page granted at ref 8; answering 2200 events",
    r"bench evtchn_domu_roundtrip_cycles median=[1-9]\d* min=\d+ max=\d+ batches=11 iters=200",
    r"bench grant_map_unmap_domu_cycles median=[1-9]\d* min=\d+ max=\d+ batches=11 iters=200",
    r"\(d\d+\) guest-pv: bench_peer: 2200 events answered",
    r"PASS bench_domu: domain \d+ \(\w+'s control interface\): 2200 event round trips and "
    r"2200 grant map\+unmap pairs timed; powered off and destroyed",
    r"bench_domu: 1 passed, 0 failed",
]


def peer_lines(text, rounds):
    """Each round's peer found its initrd and verified every response."""
    for line in (r"\(d\d+\) guest-pv: peer: initrd intact; ring at ref 8, port \d+, 200 requests",
                 r"\(d\d+\) guest-pv: peer: 200 responses verified, 0 wrong"):
        n = len(re.findall(line, text))
        if n != rounds:
            return f"{n} lines like {line!r}, expected {rounds}"
    return None


SCENARIOS = [
    Scenario(
        name="control_hv_peer",
        doc="dom0 builds guest-pv from its initrd into a domain with the shared builder, "
            "talks to it over a granted ring and an event channel, destroys it, and hv's "
            "frames, heap and timers come back",
        cmdline=HV_CMDLINE,
        modules=[(GUEST, "mode=control rounds=3 target=hv"), (GUEST, "")],
        expect=[
            r"control: kernel image at \w+, \d+ bytes",
            r"PASS control.bad_image: a 300-byte cut",
            r"PASS control.too_small: 1000 pages",
            r"PASS control.untouched",
            r"PASS control.build: domain \d+: guest-pv 0.1",
            r"PASS control.hypercall_page: domain \d+'s page at 0xffffffff80001000, written by "
            r"the builder, is the builder's byte for byte",
            r"PASS control.ring: 200 requests and 200 responses verified",
            r"PASS control.teardown: domain \d+ powered off",
        ] + DOMU_EXPECT + [
            r"PASS control.round: 2",
            r"PASS control.no_leak",
            r"PASS control.round: 3",
            r"PASS control.no_leak",
            r"control: 12 passed, 0 failed",
            r"guest-pv: powering off",
        ],
        forbid=FORBID,
        # The peer's lines interleave with dom0's: count them instead.
        check=all_checks(lambda text: peer_lines(text, 3), skips_only(*DOMU_SKIPS)),
        exit=0,
        timeout=120,
    ),
    Scenario(
        name="control_hv_bench",
        doc="the benchmarks between dom0 and a domain it builds (make bench runs them on hv "
            "and Xen) print their figures on hv",
        cmdline=HV_CMDLINE,
        modules=[(GUEST, "mode=bench_domu target=hv"), (GUEST, "")],
        expect=BENCH_DOMU_EXPECT + [r"guest-pv: powering off"],
        forbid=FORBID + [r"bench \w+ failed"],
        exit=0,
        timeout=120,
    ),
    Scenario(
        name="control_hv_domctl",
        doc="every domctl/sysctl command with valid and invalid input, as dom0",
        cmdline=HV_CMDLINE,
        modules=[(GUEST, "target=hv tests=domctl.*")],
        expect=[
            rf"guest-pv: running {count_tests(['domctl.*'])} of \d+ tests",
            # domctl.domu_refused is a domU's test: it skips in dom0.
            rf"guest-pv: {count_tests(['domctl.*']) - 1} passed, 0 failed",
            r"guest-pv: powering off",
        ],
        forbid=FORBID,
        exit=0,
        timeout=120,
    ),
    Scenario(
        name="control_hv_domu_refused",
        doc="a domU calling domctl and sysctl gets -EPERM for every command",
        cmdline=HV_CMDLINE + " domu=1",
        modules=[(GUEST, "mode=watch"), (GUEST, "target=hv tests=domctl.*")],
        expect=[
            r"\(d1\) PASS domctl.domu_refused",
            r"\(d1\) guest-pv: 1 passed, 0 failed",
            r"guest-pv: watch: domain 1 shutdown \(poweroff\)",
            r"guest-pv: powering off",
        ],
        forbid=FORBID,
        exit=0,
        timeout=90,
    ),
    Scenario(
        name="control_hv_boot_domu_too_big",
        doc="a boot-time domU bigger than the machine fails half way through its build: it "
            "is destroyed, every frame it took comes back (dom0 then builds and runs a "
            "domain of its own), and nothing else notices",
        cmdline=HV_CMDLINE + " domu=2:mem=2000M",
        modules=[(GUEST, "mode=control rounds=1 target=hv"), (GUEST, ""), (GUEST, "")],
        expect=[
            r"domain 1: memory: cannot get 512000 frames for the domain \(error -12\)",
            r"domain 1: destroyed half built; (\d+) frames free before it, \1 after\r?\n",
            r"domain 1: not started",
            r"PASS control.build: domain \d+: guest-pv 0.1",
            r"PASS control.ring: 200 requests and 200 responses verified",
            r"control: \d+ passed, 0 failed",
            r"guest-pv: powering off",
        ],
        forbid=FORBID + [r"domain 1: starting at"],
        exit=0,
        timeout=120,
    ),
    Scenario(
        name="control_hv_churn",
        doc="1000 domains created and destroyed (20 of them built and run) leave hv's free "
            "frames, heap and timers as they were",
        cmdline=HV_CMDLINE,
        modules=[(GUEST, "mode=churn count=1000 every=50 target=hv"), (GUEST, "")],
        expect=[
            r"churn: 1000 create/destroy cycles",
            r"PASS churn.cycles: 1000 of 1000 domains .* 20 of 20 built and run",
            r"PASS churn.no_leak",
            r"bench domain_create_destroy_us median=\d+",
            r"churn: 2 passed, 0 failed",
            r"guest-pv: powering off",
        ],
        forbid=FORBID,
        exit=0,
        timeout=180,
    ),
    Scenario(
        name="control_hv_ctlhammer",
        doc="dom0 sends 20000 domctls/sysctls with random commands, ids and fields: hv "
            "answers each (some succeed, most are refused), never faults, and leaks nothing",
        cmdline=HV_CMDLINE.replace("loglvl=info", "loglvl=warning"),
        modules=[(GUEST, "mode=ctlhammer calls=20000")],
        expect=[
            r"guest-pv: ctlhammer: 20000 calls",
            # A hammer that only ever hears one answer tests nothing.
            r"ctlhammer: results: 0 [1-9]\d{2,}, EINVAL [1-9]\d{2,}, ESRCH [1-9]\d{2,}, "
            r"EFAULT [1-9]\d*, ENOSYS [1-9]\d{2,}",
            r"PASS ctlhammer.no_leak",
            r"guest-pv: powering off",
        ],
        forbid=FORBID,
        exit=0,
        timeout=120,
    ),
]
