#!/usr/bin/env bash
# Build a GRUB (BIOS) ISO that boots hv through multiboot2.
#   mkiso.sh OUT.iso HV_IMAGE "HV CMDLINE" [MODULE "MODULE CMDLINE"]...
# The first module is dom0's kernel, the second its initrd (Xen's order).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 out.iso hv-image cmdline [module cmdline]..." >&2; exit 2; }
out=$1 hv=$2 cmdline=$3
shift 3
[ -f "$hv" ] || { echo "mkiso: $hv: no such hypervisor image" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/hviso.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/iso
mkdir -p "$stage/boot/grub"
cp "$hv" "$stage/boot/hv"

modlines=""
i=0
while [ $# -ge 2 ]; do
	[ -f "$1" ] || { echo "mkiso: $1: no such module" >&2; exit 1; }
	cp "$1" "$stage/boot/mod$i"
	# GRUB passes everything after the file name as the module's command
	# line; the first word is conventionally the module's name.
	modlines+="    module2 /boot/mod$i $(basename "$1") $2"$'\n'
	i=$((i + 1))
	shift 2
done

cat > "$stage/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
set default=0
menuentry 'hv' {
    multiboot2 /boot/hv $cmdline
$modlines    boot
}
CFG

mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out.tmp" "$stage" >/dev/null 2>"$work/log" \
	|| { cat "$work/log" >&2; exit 1; }
mv "$out.tmp" "$out"
