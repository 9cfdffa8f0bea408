"""guest-pv on real Xen 4.17: the conformance oracle.

Debian's xen-hypervisor-4.17-amd64 (fetched by scripts/fetch-xen.sh, never
installed) boots guest-pv as dom0 under the same QEMU as hv. Every ABI test
must pass here; a test that fails on hv but passes here is hv's bug.
Xen halts (not powers off) the machine when dom0 powers off, so the runs
end on Xen's "Dom0 halted" / "Dom0 crashed" lines instead of a QEMU exit.
Set GUEST_PV_BENCH=1 to also run mode=bench (not part of `make test`).
"""
import os

from _guest_pv import (XEN_CMDLINE, XEN_END, XEN_FORBID, XEN_IMAGE, count_tests, fetch_xen,
                       guest_pv_bench_scenario, guest_pv_fault_scenario, guest_pv_scenario)

# These skip on Xen: hv's own control interface (domctl/sysctl structures),
# a refusal hv makes where Xen 4.17 lets a guest hurt itself, hv's maptrack
# size, and grant-copy flag bits hv refuses where Xen ignores them.
HV_ONLY_TESTS = ["domctl.*", "grant_map.replace_with_a_grant_pte", "grant_map.maptrack_full",
                 "grant_copy.unknown_flags"]

SCENARIOS = [
    guest_pv_scenario(
        "guest_pv_xen",
        hypervisor=XEN_IMAGE,
        cmdline=XEN_CMDLINE,
        guest_cmdline="target=xen",
        max_skipped=count_tests(HV_ONLY_TESTS),
        skips=("hv_only",),
        end=XEN_END,
        forbid=XEN_FORBID,
        prepare=fetch_xen,
        doc="guest-pv's ABI suite passes as dom0 on Debian's Xen 4.17 (the oracle)",
    ),
    guest_pv_fault_scenario(
        "guest_pv_xen_fault",
        hypervisor=XEN_IMAGE,
        cmdline=XEN_CMDLINE,
        end=r"\(XEN\) Hardware Dom0 crashed",
        prepare=fetch_xen,
        doc="an unexpected #PF in guest-pv is reported (vector, rip, error code, cr2) "
            "and ends in SHUTDOWN_crash on Xen 4.17",
    ),
]

if os.environ.get("GUEST_PV_BENCH"):
    SCENARIOS.append(guest_pv_bench_scenario(
        "guest_pv_xen_bench",
        hypervisor=XEN_IMAGE,
        cmdline=XEN_CMDLINE,
        end=XEN_END,
        forbid=XEN_FORBID,
        prepare=fetch_xen,
    ))
