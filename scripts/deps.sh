#!/usr/bin/env bash
# Install every Debian package hv needs, only when something is missing.
# Idempotent and quiet: a second run on a complete machine does nothing but
# one dpkg query. Called by the Makefile before building or testing.
set -euo pipefail

packages=(
	build-essential make gcc binutils clang lld llvm libclang-rt-14-dev
	pkg-config check libxml2-dev libsubunit-dev liblzma-dev
	qemu-system-x86 grub-pc-bin grub-common xorriso mtools
	python3 cpio xz-utils busybox-static kmod libc6-dev
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
