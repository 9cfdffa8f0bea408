#!/usr/bin/env bash
# Fetch Debian's Xen 4.17 hypervisor, the conformance oracle, and unpack it
# under $BUILD/xen/ so that $BUILD/xen/xen.gz is the image GRUB loads with
# multiboot2 (GRUB decompresses gzip images itself).
#   fetch-xen.sh [BUILD_DIR]
# The package is downloaded with `apt-get download` and unpacked with
# `dpkg-deb -x`; it is never installed (installing it would rewrite the
# host's boot loader configuration). Idempotent and cached; two callers at
# once serialise on a lock file.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD:-$top/build}}
pkg=xen-hypervisor-4.17-amd64
dest=$build/xen

. "$top/scripts/lib/debfetch.sh"
deb_lock "$dest"

# Cached: the image is there and came from the package we unpacked last.
if [ -s "$dest/xen.gz" ] && [ -s "$dest/.deb-version" ]; then
	exit 0
fi

work=$DEB_WORK
deb=$(deb_download "$pkg")
dpkg-deb -x "$deb" "$work/root"

# The package ships /boot/xen-<version>.gz (plus a .config); take the
# single gzip image it carries.
img=$(find "$work/root/boot" -maxdepth 1 -name 'xen-*.gz' | sort | head -n1)
[ -n "$img" ] || { echo "fetch-xen: $pkg has no /boot/xen-*.gz" >&2; exit 1; }
gzip -t "$img" || { echo "fetch-xen: $img is not a valid gzip file" >&2; exit 1; }
# Sanity check: a multiboot2 header (magic 0xe85250d6) in the first 32 KiB.
gzip -dc "$img" >"$work/xen.elf"
if ! od -An -tx4 -v -w4 -N 32768 "$work/xen.elf" | grep 'e85250d6' >/dev/null; then
	echo "fetch-xen: $img carries no multiboot2 header" >&2
	exit 1
fi

rm -rf "$dest/root"
mv "$work/root" "$dest/root"
ln -sfn "root/boot/$(basename "$img")" "$dest/xen.gz.tmp"
mv -T "$dest/xen.gz.tmp" "$dest/xen.gz"
dpkg-deb -f "$deb" Version >"$dest/.deb-version"
echo "fetch-xen: $pkg $(cat "$dest/.deb-version") -> $dest/xen.gz" >&2
