#!/usr/bin/env bash
# Fetch the kernel of Debian's linux-image-amd64 (the bzImage hv must unpack,
# an XZ payload) into $BUILD/dom0-kernel-test/vmlinuz, for the tests that
# check hv's XZ decoder against the real thing.
#   fetch-debian-kernel.sh [BUILD_DIR]
# linux-image-amd64 is a metapackage: the kernel is in the package it
# depends on, linux-image-<abi>-amd64. That package is downloaded with
# `apt-get download` and unpacked with `dpkg-deb -x`, never installed.
# Idempotent and cached; two callers at once serialise on a lock file.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD:-$top/build}}
mkdir -p "$build" && build=$(cd "$build" && pwd)
dest=$build/dom0-kernel-test

. "$top/scripts/lib/debfetch.sh"
deb_lock "$dest"

if [ -s "$dest/vmlinuz" ] && [ -s "$dest/.deb-version" ]; then
	exit 0
fi

work=$DEB_WORK

# The image package the metapackage points at, e.g. linux-image-6.1.0-56-amd64.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)
if [ -z "$pkg" ]; then
	echo "fetch-debian-kernel: linux-image-amd64 not known to apt" >&2
	exit 1
fi

deb=$(deb_download "$pkg")
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards './boot/vmlinuz-*'
img=$(find "$work/boot" -maxdepth 1 -name 'vmlinuz-*' | sort | head -n1)
[ -n "$img" ] || { echo "fetch-debian-kernel: $pkg has no /boot/vmlinuz-*" >&2; exit 1; }
# Sanity check: the boot protocol's "HdrS" at 0x202.
if [ "$(dd if="$img" bs=1 skip=514 count=4 2>/dev/null)" != HdrS ]; then
	echo "fetch-debian-kernel: $img is not a bzImage" >&2
	exit 1
fi

mv "$img" "$dest/vmlinuz.tmp"
mv -T "$dest/vmlinuz.tmp" "$dest/vmlinuz"
dpkg-deb -f "$deb" Package >"$dest/.deb-package"
dpkg-deb -f "$deb" Version >"$dest/.deb-version"
echo "fetch-debian-kernel: $pkg $(cat "$dest/.deb-version") -> $dest/vmlinuz" >&2
