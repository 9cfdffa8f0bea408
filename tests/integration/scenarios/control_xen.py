"""guest-pv as dom0's toolstack on Debian's Xen 4.17: the conformance oracle
for the shared PV domain builder.

- control_xen_peer: the same run as control_hv_peer, with target=xen:
  guest-pv (dom0) creates domains through Xen 4.17's own domctl/sysctl
  (guest-pv/include/guest/xenctl.h), builds guest-pv from its initrd
  into them with dom0-tools/builder, and Xen must accept what the builder
  made (it validates the page tables when the L4 is pinned, the vCPU
  context, the hypercall page it fills itself, which must equal the
  builder's); a domain built the same way runs guest-pv's ABI suite as a
  domU (start_info, shared_info, the M2P, the hypercall page, the PV MMU,
  events, grants...: the same selection and results as on hv), and the
  peer rounds exchange 200 requests each way over a granted ring and an
  interdomain event channel. Release builds of Xen
  refuse a domU's console_io (checked: the peer reports -EPERM), so dom0
  relays each domU's console ring and prints it as "(dN) ...", the way hv
  prints a domU's console_io. The leak check compares Xen's free pages
  and domain count (Xen reports no heap or timer counts).
- control_xen_bench: mode=bench_domu on Xen (make bench's Xen column for
  the benchmarks between dom0 and a toolstack-built domain): the figures
  are there.
"""
import re

from _guest_pv import GUEST, XEN_FORBID, XEN_IMAGE, all_checks, fetch_xen, skips_only
from control_hv import BENCH_DOMU_EXPECT, DOMU_EXPECT, DOMU_SKIPS, peer_lines
from runner import Scenario

XEN_CMDLINE = ("console=com1 com1=115200,8n1 dom0_mem=64M dom0_max_vcpus=1 "
               "loglvl=all guest_loglvl=all noreboot")
FORBID = [r"(?m)FAIL ", r"PANIC", r"unexpected exception", r"guest-pv: [1-9]\d* failed"]

def console_io_refused(text, rounds):
    """Each peer found its console_io refused (the relay prints its lines
    whenever dom0 wakes, so they are counted, not ordered)."""
    line = r"\(d\d+\) guest-pv: peer: console_io write from this domU: -EPERM"
    n = len(re.findall(line, text))
    return None if n == rounds else f"{n} lines like {line!r}, expected {rounds}"


SCENARIOS = [
    Scenario(
        name="control_xen_peer",
        doc="on Xen 4.17, dom0 builds guest-pv into domains through Xen's domctl with the "
            "shared builder, the domU's own tests pass, the ring exchange works, the "
            "domains are destroyed and Xen's free pages come back",
        hypervisor=XEN_IMAGE,
        cmdline=XEN_CMDLINE,
        modules=[(GUEST, "mode=control rounds=3 target=xen"), (GUEST, "")],
        expect=[
            r"control: kernel image at \w+, \d+ bytes; 3 rounds of 200 requests; xen's control",
            r"PASS control.bad_image: a 300-byte cut",
            r"PASS control.too_small: 1000 pages",
            r"PASS control.untouched",
            r"PASS control.build: domain \d+: guest-pv 0.1",
            r"PASS control.hypercall_page: domain \d+'s page at 0xffffffff80001000, filled by "
            r"the hypervisor \(hypercall_init\), is the builder's byte for byte",
            r"PASS control.ring: 200 requests and 200 responses verified",
            r"PASS control.teardown: domain \d+ powered off",
        ] + DOMU_EXPECT + [
            r"PASS control.round: 2",
            r"PASS control.no_leak: free_pages (\d+) -> \1, domains (\d+) -> \2",
            r"PASS control.round: 3",
            r"PASS control.no_leak: free_pages (\d+) -> \1, domains (\d+) -> \2",
            r"control: 12 passed, 0 failed",
            r"guest-pv: powering off",
        ],
        forbid=FORBID + XEN_FORBID,
        check=all_checks(lambda text: peer_lines(text, 3) or console_io_refused(text, 3),
                         skips_only(*DOMU_SKIPS)),
        end=r"\(XEN\) Hardware Dom0 halted",
        prepare=fetch_xen,
        timeout=120,
    ),
    Scenario(
        name="control_xen_bench",
        doc="the benchmarks between dom0 and a domain it builds print their figures on Xen 4.17",
        hypervisor=XEN_IMAGE,
        cmdline=XEN_CMDLINE,
        modules=[(GUEST, "mode=bench_domu target=xen"), (GUEST, "")],
        expect=BENCH_DOMU_EXPECT + [r"guest-pv: powering off"],
        forbid=FORBID + XEN_FORBID + [r"bench \w+ failed"],
        end=r"\(XEN\) Hardware Dom0 halted",
        prepare=fetch_xen,
        timeout=120,
    ),
]
