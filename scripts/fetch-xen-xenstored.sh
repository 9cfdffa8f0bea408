#!/usr/bin/env bash
# Fetch Debian's C xenstored (package xen-utils-4.17) and the libraries it
# links, unpacked under $BUILD/xen-utils/, so `make bench` can try it side
# by side with ours. Prints the daemon's path; LD_LIBRARY_PATH must hold
# $BUILD/xen-utils/lib (a directory of links made here).
#   fetch-xen-xenstored.sh [BUILD_DIR]
# Downloaded with `apt-get download`, unpacked with `dpkg-deb -x`, never
# installed. Cached; two callers at once serialise on a lock file.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD:-$top/build}}
dest=$build/xen-utils
pkgs="xen-utils-4.17 libxenstore4 libxenmisc4.17 libxentoollog1 libxenevtchn1
      libxengnttab1 libxencall1 libxenforeignmemory1 libxentoolcore1
      libxendevicemodel1 libyajl2"
daemon=$dest/root/usr/lib/xen-4.17/bin/xenstored

. "$top/scripts/lib/debfetch.sh"
deb_lock "$dest"
if [ -x "$daemon" ] && [ -d "$dest/lib" ]; then
	echo "$daemon"
	exit 0
fi

work=$DEB_WORK
# shellcheck disable=SC2086
debs=$(deb_download $pkgs)
while read -r deb; do
	dpkg-deb -x "$deb" "$work/root"
done <<<"$debs"
[ -x "$work/root/usr/lib/xen-4.17/bin/xenstored" ] ||
	{ echo "fetch-xen-xenstored: xen-utils-4.17 has no xenstored" >&2; exit 1; }
# One directory with every shared library the packages carry.
mkdir -p "$work/lib"
find "$work/root" -name 'lib*.so*' | while read -r so; do
	ln -sfn "../root/${so#"$work/root/"}" "$work/lib/$(basename "$so")"
done
rm -rf "$dest/root" "$dest/lib"
mv "$work/root" "$dest/root"
mv "$work/lib" "$dest/lib"
echo "$daemon"
