"""bzImages as PV kernels on hv (design.md decision 4, linux-pv-boot.md 0.1).

Each scenario wraps guest-pv's ELF into a synthetic bzImage at test time:
a setup header with the fields hv reads (setup_sects, "HdrS", version
2.15, payload_offset, payload_length), some filler where the decompressor
would be, then the payload as Linux builds it (`xz --check=crc32 --x86
--lzma2` and the 4-byte unpacked size). hv must unpack it and boot it
exactly as the plain ELF: guest-pv's first-domain suite passes as dom0, and
a bzImage domU answers dom0's pings. Bad bzImages (CRC mismatch, corrupt
data, gzip payload, truncated file) are refused with a message naming the
problem: as dom0 hv stops with its usual panic and no fault; as a domU the
domain is not started and the others run on.

Debian's own kernel (build/dom0/vmlinuz, the one Linux dom0 boots, from
`mkdom0.sh --kernel`) is unpacked and built as dom0 too; the run ends
when hv enters it, since what the kernel asks of hv next is the dom0
bring-up's business, not the unpacker's. Its console line gives the time
the unpacking takes under TCG.
"""
import dataclasses
import os
import struct
import subprocess

import guest_pv_hv
from _linux_dom0 import KERNEL as DEBIAN_KERNEL
from guest_pv_hv import HV_CMDLINE, bad_kernel
from runner import Scenario

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
LINUX_XZ = ["xz", "--format=xz", "--check=crc32", "--x86", "--lzma2", "-c"]
UNPACKED = r"bzImage, XZ payload \d+ bytes -> \d+ bytes ELF"
PM_FILLER = 0x3a0          # bytes before the payload in the protected-mode code


def _guest(build):
    with open(os.path.join(build, "guest-pv", "guest-pv"), "rb") as f:
        return f.read()


def _compress(cmd, data):
    return subprocess.run(cmd, input=data, stdout=subprocess.PIPE, check=True).stdout


def wrap_bzimage(payload, unpacked_size, setup_sects=4):
    """A bzImage around `payload` (compressed data without its trailer)."""
    setup = bytearray((setup_sects + 1) * 512)
    setup[0x1f1] = setup_sects
    setup[0x1fe:0x200] = b"\x55\xaa"
    setup[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", setup, 0x206, 0x020f)
    struct.pack_into("<II", setup, 0x248, PM_FILLER, len(payload) + 4)
    return (bytes(setup) + b"\x90" * PM_FILLER + payload +
            struct.pack("<I", unpacked_size) + b"\xcc" * 256)


def _xz_payload(build):
    elf = _guest(build)
    return bytearray(_compress(LINUX_XZ, elf)), len(elf)


def _write(sdir, name, data):
    with open(os.path.join(sdir, name), "wb") as f:
        f.write(data)


def _check_offset(xz):
    """Offset of the single block's CRC32: just before the index, whose size
    the stream footer gives."""
    backward, = struct.unpack_from("<I", xz, len(xz) - 8)
    return len(xz) - 12 - (backward + 1) * 4 - 4


def good_bzimage(build, sdir):
    payload, size = _xz_payload(build)
    _write(sdir, "kernel", wrap_bzimage(bytes(payload), size))


def crc_mismatch(build, sdir):
    payload, size = _xz_payload(build)
    payload[_check_offset(payload)] ^= 0x5a
    _write(sdir, "kernel", wrap_bzimage(bytes(payload), size))


def corrupt_data(build, sdir):
    payload, size = _xz_payload(build)
    for i in range(len(payload) // 3, len(payload) // 3 + 16):
        payload[i] ^= 0xa5
    _write(sdir, "kernel", wrap_bzimage(bytes(payload), size))


def gzip_payload(build, sdir):
    elf = _guest(build)
    _write(sdir, "kernel", wrap_bzimage(_compress(["gzip", "-9", "-n", "-c"], elf), len(elf)))


def truncated_bzimage(build, sdir):
    payload, size = _xz_payload(build)
    image = wrap_bzimage(bytes(payload), size)
    _write(sdir, "kernel", image[:len(image) // 2])


def domu_images(build, sdir):
    """A good bzImage for domain 1, a gzip one for domain 2."""
    payload, size = _xz_payload(build)
    _write(sdir, "pong", wrap_bzimage(bytes(payload), size, setup_sects=30))
    gzip_payload(build, sdir)


def fetch_debian_kernel(build, sdir):
    """build/dom0/vmlinuz, fetched or brought up to date as dom0's own."""
    subprocess.run(["bash", os.path.join(TOP, "scripts", "mkdom0.sh"), "--kernel", build],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _bzimage_dom0_suite():
    """guest_pv_hv itself, with the bzImage in place of the ELF."""
    plain = next(sc for sc in guest_pv_hv.SCENARIOS if sc.name == "guest_pv_hv")
    return dataclasses.replace(
        plain,
        name="guest_pv_hv_bzimage",
        modules=[("{sdir}/kernel", plain.modules[0][1])],
        prepare=good_bzimage,
        expect=[r"dom0 kernel: " + UNPACKED + r" \(\d+ ms\)"] + list(plain.expect),
        doc="guest-pv wrapped in a bzImage (XZ payload) boots as dom0 and passes the same "
            "tests as the plain ELF (guest_pv_hv)",
    )


SCENARIOS = [
    _bzimage_dom0_suite(),
    Scenario(
        name="bzimage_domu",
        doc="a bzImage domU is unpacked and answers dom0's pings; a gzip bzImage domU is "
            "refused by name and the others run on",
        cmdline=HV_CMDLINE + " domu=1 domu=2",
        prepare=domu_images,
        modules=[("{build}/guest-pv/guest-pv", "mode=ping rounds=100"),
                 ("{sdir}/pong", "mode=pong"), ("{sdir}/kernel", "mode=pong")],
        expect=[r"domain 1 kernel: " + UNPACKED,
                r"domain 1: guest-pv 0\.1 kernel",
                r"domain 2 kernel: bzImage payload is gzip-compressed; hv unpacks XZ only",
                r"domain 2: not started",
                r"guest-pv: ping: 100 round trips with domain 1",
                r"domain 0 shut down: poweroff"],
        forbid=[r"crashed", r"domain 2: guest-pv"],
        exit=0,
        timeout=90,
    ),
    Scenario(
        name="hv_dom0_debian_bzimage",
        doc="Debian's linux-image-amd64 bzImage is unpacked (63 MiB of ELF from hv's "
            "frames) and built as dom0",
        cmdline="console=com1 com1=115200,8n1 loglvl=all exit_port=0xf4 dom0_mem=256M",
        prepare=fetch_debian_kernel,
        modules=[(DEBIAN_KERNEL, "earlyprintk=xen console=hvc0")],
        expect=[r"dom0 kernel: bzImage, XZ payload \d+ bytes -> \d+ bytes ELF \(\d+ ms\)",
                r"domain 0: linux 2\.6 kernel, entry 0xffffffff8\w+, 65536 pages",
                r"domain 0: starting at 0xffffffff8\w+"],
        end=r"domain 0: starting at",
        forbid=[r"not loaded", r"no memory to unpack"],
        timeout=120,
    ),
    bad_kernel("hv_dom0_bzimage_crc_mismatch", crc_mismatch,
               r"dom0 kernel: bzImage XZ payload rejected, integrity check failed: "
               r"CRC32 of block data mismatch",
               "a bzImage whose XZ payload fails its CRC32 is refused, not booted"),
    bad_kernel("hv_dom0_bzimage_corrupt", corrupt_data,
               r"dom0 kernel: bzImage XZ payload rejected, ",
               "a bzImage with damaged compressed data is refused without a fault"),
    bad_kernel("hv_dom0_bzimage_gzip", gzip_payload,
               r"dom0 kernel: bzImage payload is gzip-compressed; hv unpacks XZ only",
               "a bzImage with a gzip payload is refused, naming the compression"),
    bad_kernel("hv_dom0_bzimage_truncated", truncated_bzimage,
               r"dom0 kernel: bzImage truncated: payload at 0x[0-9a-f]+, \d+ bytes, but the "
               r"file has \d+",
               "a bzImage cut short inside its payload is refused"),
]
