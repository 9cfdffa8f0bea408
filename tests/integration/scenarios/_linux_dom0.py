"""Debian's Linux as dom0, driven over the serial line: the scenario shared
by every hypervisor.

One boot: GRUB -> hypervisor -> Debian's vmlinuz (build/dom0/vmlinuz, as the
package ships it) with our initramfs (build/dom0/initramfs.cpio.gz, built by
scripts/mkdom0.sh). dom0's /init loads the Xen modules, mounts xenfs, starts
our xenstored and runs a shell on hvc0. The scenario then types one short
command at a time and waits for its answer before the next:

  uname            release = the package's (build/dom0/kernel-release),
                   version string names the Debian version
  capabilities     /proc/xen/capabilities reads control_d
  modules          the Xen modules dom0/modules names are loaded
  devices          /dev/xen/{evtchn,gntdev,gntalloc,privcmd} exist
  dmesg            no BUG / WARNING / Oops / Call Trace line
  hvctl version    a hypercall through /dev/xen/privcmd (xen_version)
  MemTotal         within what dom0_mem gives
  xenstore         our CLI reads dom0's home from our xenstored; the node
                   dom0's kernel wrote there (control/feature-poweroff)
                   proves the kernel's xenbus talks to our daemon, and a
                   write to control/sysrq fires the kernel's watch; the
                   daemon's log has no error or warning
  poweroff         busybox init stops xenstored and powers off (the
                   kernel says "System halted": acpi=off leaves it no
                   power-off method, and a PV kernel's halt is
                   SCHEDOP_shutdown(poweroff)); the hypervisor's reaction
                   ends the run (`end` or `exit`)

Every answer is matched at the start of a line: the echo of the typed
command starts with the prompt, and each command prints its marker from a
`$(...)`/`$?` expansion, so the echo alone can never match.

linux_dom0_scenario() builds it for a hypervisor: Xen 4.17 in
linux_dom0_xen.py; on hv, once it boots Linux, the same boot reads

    linux_dom0_scenario("linux_dom0_hv", hypervisor="{build}/hv",
                        cmdline=HV_CMDLINE, hv_version=r"4\.17-hv",
                        exit=0, expect_end=[r"domain 0 shut down: poweroff"])

(hv ends QEMU through isa-debug-exit with status 0 on dom0's poweroff).
"""
import os
import re
import subprocess

from runner import Scenario

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))

KERNEL = "{build}/dom0/vmlinuz"
INITRD = "{build}/dom0/initramfs.cpio.gz"
DOM0_MEM_MB = 512
HV_CMDLINE = ("console=com1 com1=115200,8n1 loglvl=info exit_port=0xf4 "
              f"dom0_mem={DOM0_MEM_MB}M,max:{DOM0_MEM_MB}M")

# What the answers must say (checked on the whole log at the end).
XEN_DEVICES = ["evtchn", "gntdev", "gntalloc", "privcmd"]
DMESG_BAD = "BUG|WARNING|Oops|Call Trace"
# dom0's MemTotal on Debian's Xen 4.17 with this DOM0_MEM_MB (linux_dom0_xen
# shows it): measure it again if either changes.
XEN_MEMTOTAL_KB = 399024


def read_cmdline(name, **values):
    """The command line in dom0/<name>, read by scripts/cmdline.sh as
    Config.mk and mkdom0.sh read it, with @KEY@ replaced by values[KEY]."""
    r = subprocess.run(["bash", os.path.join(TOP, "scripts", "cmdline.sh"),
                        os.path.join(TOP, "dom0", name)] + [f"{k}={v}" for k, v in values.items()],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode:
        raise RuntimeError(r.stderr.strip() or f"cmdline.sh {name} failed")
    return r.stdout.strip()


def dom0_cmdline():
    """dom0's kernel command line (dom0/cmdline)."""
    return read_cmdline("cmdline")


def wanted_modules():
    """Module names dom0/modules asks for, as /proc/modules spells them."""
    names = []
    with open(os.path.join(TOP, "dom0", "modules")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line.replace("-", "_"))
    return names


def build_dom0(build):
    """Run scripts/mkdom0.sh (cached; needs xenstore and dom0-tools built)."""
    r = subprocess.run(["bash", os.path.join(TOP, "scripts", "mkdom0.sh"), build],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode:
        raise RuntimeError("mkdom0.sh: " + r.stderr.decode(errors="replace").strip())


def read_build_file(build, name):
    with open(os.path.join(build, "dom0", name)) as f:
        return f.read().strip()


# The shell's prompt (dom0/profile sets PS1='dom0:\w# ').
PROMPT = r"dom0:\S*# "

# The conversation: (command, answer, expectation). A command is typed
# once the previous answer and then a fresh prompt have appeared, so the
# echo of what we type never mixes with an answer. `answer` is loose (it
# only paces the conversation); `expectation` is what must be true, so a
# wrong answer fails with a clear reason instead of stalling. Patterns may
# name {release}, {version} and {hv_version}, filled in once the payload
# is built. Lines from dom0 end in \r\r\n on the serial line.
CONVERSATION = [
    ('echo "K=$(uname -r) V=$(uname -v)"',
     r"(?m)^K=", r"(?m)^K={release} V=#\d+ .*Debian {version} "),
    ('echo "C=$(cat /proc/xen/capabilities)"',
     r"(?m)^C=", r"(?m)^C=control_d\r*$"),
    ('echo "M=$(cut -d" " -f1 /proc/modules|sort|xargs)"',
     r"(?m)^M=", r"(?m)^M=.*xen_privcmd"),
    ('echo "D=$(ls /dev/xen|xargs)"',
     r"(?m)^D=", r"(?m)^D=.*privcmd"),
    (f'echo "B=$(dmesg|grep -cE \'{DMESG_BAD}\')"',
     r"(?m)^B=", r"(?m)^B=0\r*$"),
    ('hvctl version; echo "R=$?"',
     r"(?m)^R=", r"(?m)^version: {hv_version}[\s\S]*?^R=0\r*$"),
    ("grep MemTotal /proc/meminfo",
     r"(?m)^MemTotal:", r"(?m)^MemTotal:\s+\d+ kB"),
    ('xenstore ls /local/domain/0; echo "X=$?"',
     r"(?m)^X=", r"(?m)^control = \"\"[\s\S]*?^X=0\r*$"),
    ('echo "F=$(xenstore read /local/domain/0/control/feature-poweroff)"',
     r"(?m)^F=", r"(?m)^F=1\r*$"),
    # Our daemon met no error or warning serving dom0 (its log).
    ('echo "L=$(grep -cE \'^xenstored: (error|warning):\' /var/log/xenstored.log)"',
     r"(?m)^L=", r"(?m)^L=0\r*$"),
    # The kernel's watch on control/sysrq runs in its xenwatch thread, so
    # its "sysrq: HELP" may come after the shell's next prompt: wait (at
    # most 5 s) until dmesg has it, then count. An empty answer: the next
    # command waits for the prompt alone.
    ("xenstore write /local/domain/0/control/sysrq h", "", ""),
    ("for i in $(seq 50);do dmesg|grep -q 'sysrq: HELP'&&break;sleep .1;done", "", ""),
    ('echo "S=$(dmesg|grep -c \'sysrq: HELP :\')"', r"(?m)^S=", r"(?m)^S=1\r*$"),
    # With acpi=off Linux has no power-off method, so it turns poweroff
    # into halt, which a PV kernel implements as SCHEDOP_shutdown(poweroff).
    ("poweroff",
     r"reboot: System halted",
     r"dom0: shutting down[\s\S]*?dom0: xenstored stopped[\s\S]*?Requesting system poweroff[\s\S]*?reboot: System halted"),
]

BOOT_EXPECT = [
    r"dom0: init on Linux {release}",
    r"dom0: modules loaded \(\d+\)",
    r"dom0: xenfs on /proc/xen: control_d",
    r"dom0: xenstored running",
    r"dom0: ready\r*\n",
    r"dom0: shell on /dev/hvc0",
]


# Typed lines stay short: the hypervisor buffers serial input for dom0 in
# a small ring (Xen: 128 bytes) and drops what does not fit.
MAX_TYPED = 100


def conversation(keys, commands=CONVERSATION):
    """Steps (pattern, text) and the ordered expectations for the runner."""
    steps, expect = [], [e.format(**keys) for e in BOOT_EXPECT]
    after = r"dom0: shell on /dev/hvc0"
    for command, answer, expectation in commands:
        if len(command) > MAX_TYPED:
            raise ValueError(f"typed line longer than {MAX_TYPED}: {command!r}")
        steps.append((after + r"[\s\S]*?" + PROMPT, command + "\r"))
        if expectation:
            expect.append(expectation.format(**keys))
        after = answer.format(**keys)
    return steps, expect


# The dmesg count (B=0) is taken early; the kernel's console shows what
# comes later (xenbus, sysrq, shutdown), so its warnings are caught here.
FORBID = [r"dom0: FAILED", r"Kernel panic", r"(?m)^\S*Oops", r"\] (WARNING|BUG): ",
          r"Call Trace:", r"cut here \]", r"hvctl: ", r"xenstore: ", r"(?m)^-?sh: .*not found"]


def check_answers(text):
    """What a regex cannot say: sets of names, numbers in a range."""
    m = re.search(r"(?m)^M=(.*?)\r*$", text)
    if not m:
        return "no module list (M=...)"
    loaded = set(m.group(1).split())
    missing = [n for n in wanted_modules() if n not in loaded]
    if missing:
        return f"modules not loaded: {missing} (loaded: {sorted(loaded)})"
    m = re.search(r"(?m)^D=(.*?)\r*$", text)
    devs = set(m.group(1).split()) if m else set()
    missing = [d for d in XEN_DEVICES if d not in devs]
    if missing:
        return f"/dev/xen lacks {missing} (has {sorted(devs)})"
    m = re.search(r"(?m)^MemTotal:\s+(\d+) kB", text)
    if not m:
        return "no MemTotal line"
    kb = int(m.group(1))
    # dom0_mem is what the domain gets; the kernel keeps part of it. Xen
    # 4.17 (the oracle) gives 399024 kB with 512M (the 64 MiB swiotlb among
    # it): hv must give the same within 1%, or its memory setup differs.
    want = XEN_MEMTOTAL_KB
    if abs(kb - want) > want // 100:
        return f"MemTotal {kb} kB, Xen gives {want} kB for dom0_mem={DOM0_MEM_MB}M (1% allowed)"
    return None


def linux_dom0_scenario(name, hypervisor, cmdline, hv_version, end=None, exit=None,
                        timeout=120, memory="1G", prepare=None, forbid=(), expect_end=(),
                        extra=(), commands=None, check=check_answers, doc=""):
    """Debian's Linux boots as dom0 on `hypervisor` to an interactive shell.

    hv_version: a regex for what `hvctl version` reports (xen_version).
    expect_end: regexes that must follow the kernel's "System halted" (the
    hypervisor's reaction to dom0's poweroff).
    extra: more (command, answer, expectation) steps, typed before poweroff
    (what only this hypervisor can answer).
    commands: the whole conversation instead of CONVERSATION (+ extra).
    prepare: run before booting, after the payload is built.
    """
    if commands is None:
        commands = CONVERSATION[:-1] + list(extra) + CONVERSATION[-1:]
    sc = Scenario(
        name=name,
        hypervisor=hypervisor,
        cmdline=cmdline,
        modules=[(KERNEL, dom0_cmdline()), (INITRD, "")],
        steps=[],
        expect=[],
        forbid=list(FORBID) + list(forbid),
        end=end,
        exit=exit,
        timeout=timeout,
        memory=memory,
        check=check,
        doc=doc or f"Debian's Linux boots as dom0 on {hypervisor} to a shell on hvc0",
    )

    def fill(build, sdir):
        build_dom0(build)
        if prepare:
            prepare(build, sdir)
        keys = {"release": re.escape(read_build_file(build, "kernel-release")),
                "version": re.escape(read_build_file(build, "kernel-version")),
                "hv_version": hv_version}
        sc.steps, sc.expect = conversation(keys, commands)
        sc.expect += list(expect_end)

    sc.prepare = fill
    return sc
