"""Console input on hv: dom0 gets what is typed on the serial line (console_io
read, announced with VIRQ_CONSOLE); three Ctrl-A switch input to hv's debug
keys and back."""
from _guest_pv import GUEST
from runner import Scenario

HV_CMDLINE = "console=com1 com1=115200,8n1 loglvl=info exit_port=0xf4 dom0_mem=32M"
CTRL_A3 = "\x01\x01\x01"

SCENARIOS = [
    Scenario(
        name="console_input_to_dom0",
        doc="a line typed on the serial line reaches dom0 through VIRQ_CONSOLE and console_io",
        cmdline=HV_CMDLINE,
        modules=[(GUEST, "mode=echo")],
        steps=[(r"guest-pv: echo: type a line", "hello hv\r"),
               (r"guest-pv: echo: hello hv", "quit\r")],
        expect=[r"guest-pv: echo: hello hv", r"guest-pv: echo: quit",
                r"domain 0 shut down: poweroff"],
        exit=0,
        timeout=60,
    ),
    Scenario(
        name="console_debug_keys",
        doc="Ctrl-A three times gives the serial line to hv's debug keys (domains, run "
            "queue, memory); three more give it back to dom0, which still gets its input",
        cmdline=HV_CMDLINE + " domu=1",
        modules=[(GUEST, "mode=echo"), (GUEST, "mode=idle")],
        steps=[(r"guest-pv: echo: type a line", CTRL_A3),
               (r"serial input to hv", "d"),
               (r"domain 1: running", "m"),
               (r"memory: \d+ of \d+ frames free", "r"),
               (r"sched: domain 1 ran", CTRL_A3),
               (r"serial input to dom0", "back\r"),
               (r"guest-pv: echo: back", "quit\r")],
        expect=[r"\*\*\* serial input to hv",
                r"domain 0: running, \d+/\d+ pages",
                r"vcpu 0: kernel mode, rip [0-9a-f]{16}",
                r"memory: \d+ of \d+ frames free",
                r"sched: domain 0 ran",
                r"\*\*\* serial input to dom0",
                # exactly "back": the debug keys d, m, r never reached dom0
                r"(?m)^guest-pv: echo: back\r?\n",
                r"domain 0 shut down: poweroff"],
        exit=0,
        timeout=60,
    ),
]
