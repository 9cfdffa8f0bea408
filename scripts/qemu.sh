#!/usr/bin/env bash
# Boot an hv ISO in QEMU with the serial console on this terminal.
#   qemu.sh ISO [extra QEMU args]...
# Environment: QEMU, QEMU_ACCEL (tcg|kvm), QEMU_CPU, QEMU_MEM, QEMU_SMP.
set -euo pipefail
iso=$1; shift
: "${QEMU:=qemu-system-x86_64}" "${QEMU_ACCEL:=tcg}" "${QEMU_MEM:=1G}" "${QEMU_SMP:=1}"
if [ "$QEMU_ACCEL" = kvm ]; then : "${QEMU_CPU:=host}"; else : "${QEMU_CPU:=max,-smap}"; fi
echo "qemu: accel=$QEMU_ACCEL cpu=$QEMU_CPU mem=$QEMU_MEM smp=$QEMU_SMP (Ctrl-A X quits)" >&2
exec "$QEMU" -accel "$QEMU_ACCEL" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -smp "$QEMU_SMP" \
	-cdrom "$iso" -boot d -nographic -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@"
