#!/usr/bin/env bash
# Build the dom0 payload under $BUILD/dom0/: Debian's own kernel, its
# System.map and modules, and an initramfs with busybox, the Xen modules
# and our dom0 tools.
#   mkdom0.sh [BUILD_DIR]
#   mkdom0.sh --kernel [BUILD_DIR]   the kernel alone (vmlinuz, System.map,
#                                    modules/, kernel-*): no busybox, no
#                                    initramfs, so no dom0 tools needed
#
# Outputs (names the tests and `make run` rely on):
#   vmlinuz             the kernel as Debian ships it (bzImage, XZ payload)
#   System.map          for symbolising crashes
#   modules/            the package's /lib/modules/<release> (+ modules.dep)
#   initramfs.cpio.gz   busybox-static, dom0/init, the Xen modules, our tools
#   cmdline             dom0's kernel command line (dom0/cmdline's, as
#                       scripts/cmdline.sh reads it)
#   kernel-release      `uname -r` of that kernel, e.g. 6.1.0-56-amd64
#   kernel-version      the Debian package version, e.g. 6.1.192-2
#
# The kernel is the package linux-image-amd64 depends on; it and
# busybox-static are fetched with `apt-get download` and unpacked with
# `dpkg-deb -x`, never installed. Downloads are cached: a package is
# fetched again only when the metapackage resolves to another version. The
# initramfs is packed again only when one of its inputs changed (dom0/,
# the files dom0/files names, the kernel or busybox). Two callers at once
# serialise on a lock file.
#
# This is the one place Debian's kernel comes from: the tests that check
# hv's bzImage unpacking on it (tests/unit/hypervisor `debian-kernel`, the
# scenario hv_dom0_debian_bzimage) take build/dom0/vmlinuz through
# --kernel, so they test the kernel dom0 boots, re-resolved like it.
set -euo pipefail

kernel_only=
if [ "${1:-}" = --kernel ]; then
	kernel_only=1
	shift
fi
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD:-$top/build}}
mkdir -p "$build"
build=$(cd "$build" && pwd)
src=$top/dom0
dest=$build/dom0
meta=linux-image-amd64

die() { echo "mkdom0: $*" >&2; exit 1; }

. "$top/scripts/lib/debfetch.sh"
deb_lock "$dest"
mkdir -p "$dest/pkg"
work=$DEB_WORK

# The candidate records of the metapackage and busybox-static are read
# once from the local package lists (no network; apt-cache is slow to start).
load_records() { deb_records "$meta" busybox-static; }

# Resolve the real kernel package from the metapackage, e.g.
# "linux-image-6.1.0-56-amd64 6.1.192-2": Debian pins it exactly,
# "Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)".
resolve_kernel() {
	deb_field "$meta" Depends | tr ',|' '\n\n' | sed 's/^ *//' |
		awk '$1 ~ /^linux-image-[0-9].*-amd64$/ && $2 == "(=" {
			sub(/\)$/, "", $3); print $1, $3; exit }'
}

# Package $1 at version $2, from $dest/pkg (the cache) or downloaded there.
download() {
	local pkg=$1 ver=$2 deb
	deb=$(ls "$dest/pkg/${pkg}_"*.deb 2>/dev/null | head -n1 || true)
	if [ -n "$deb" ] && [ "$(dpkg-deb -f "$deb" Version)" = "$ver" ]; then
		echo "$deb"
		return 0
	fi
	echo "mkdom0: downloading $pkg $ver" >&2
	deb=$(deb_download "$pkg=$ver") || die "cannot download $pkg $ver"
	rm -f "$dest/pkg/${pkg}_"*.deb
	mv "$deb" "$dest/pkg/"
	echo "$dest/pkg/$(basename "$deb")"
}

# ---- the kernel -------------------------------------------------------

load_records
want=$(resolve_kernel)
if [ -z "$want" ]; then
	deb_refresh_lists
	load_records
	want=$(resolve_kernel)
fi
if [ -z "$want" ]; then
	[ -s "$dest/kernel/.stamp" ] ||
		die "cannot resolve the package $meta depends on (apt-cache show $meta)"
	want=$(cat "$dest/kernel/.stamp")
	echo "mkdom0: $meta unresolvable, keeping the cached $want" >&2
fi
kpkg=${want% *}
kver=${want#* }

if [ "$(cat "$dest/kernel/.stamp" 2>/dev/null)" != "$want" ]; then
	deb=$(download "$kpkg" "$kver")
	dpkg-deb -x "$deb" "$work/kernel"
	vmlinuz=$(find "$work/kernel/boot" -maxdepth 1 -name 'vmlinuz-*' | sort | head -n1)
	[ -n "$vmlinuz" ] || die "$kpkg ships no /boot/vmlinuz-*"
	release=${vmlinuz##*/vmlinuz-}
	[ -s "$work/kernel/boot/System.map-$release" ] || die "$kpkg ships no System.map"
	moddir=
	for d in "$work/kernel/lib/modules/$release" "$work/kernel/usr/lib/modules/$release"; do
		[ -d "$d" ] && moddir=$d
	done
	[ -n "$moddir" ] || die "$kpkg ships no modules for $release"
	# A bzImage: "HdrS" at offset 0x202.
	[ "$(dd if="$vmlinuz" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ] ||
		die "$vmlinuz is not a bzImage"
	# Debian builds modules.dep in the package's postinst; do it here.
	depmod -b "${moddir%/lib/modules/$release}" -F "$work/kernel/boot/System.map-$release" \
		"$release" || die "depmod failed for $release"
	[ -s "$moddir/modules.dep" ] || die "depmod wrote no modules.dep"
	rm -rf "$dest/kernel"
	mv "$work/kernel" "$dest/kernel"
	moddir=${moddir/#$work\/kernel/$dest/kernel}
	ln -sfn "kernel/boot/vmlinuz-$release" "$dest/vmlinuz"
	ln -sfn "kernel/boot/System.map-$release" "$dest/System.map"
	ln -sfn "${moddir#$dest/}" "$dest/modules"
	echo "$release" >"$dest/kernel-release"
	echo "$kver" >"$dest/kernel-version"
	echo "$want" >"$dest/kernel/.stamp"
	echo "mkdom0: $kpkg $kver (uname -r $release) -> $dest/vmlinuz" >&2
fi
release=$(cat "$dest/kernel-release")
[ -z "$kernel_only" ] || exit 0

# ---- busybox ----------------------------------------------------------

bbver=$(deb_field busybox-static Version)
if [ -z "$bbver" ]; then
	[ -s "$dest/busybox/.stamp" ] || die "cannot resolve busybox-static"
	bbver=$(cat "$dest/busybox/.stamp")
fi
if [ "$(cat "$dest/busybox/.stamp" 2>/dev/null)" != "$bbver" ]; then
	deb=$(download busybox-static "$bbver")
	dpkg-deb -x "$deb" "$work/busybox"
	[ -x "$work/busybox/bin/busybox" ] || die "busybox-static ships no /bin/busybox"
	"$work/busybox/bin/busybox" --list-full >/dev/null ||
		die "the packaged busybox does not run here"
	rm -rf "$dest/busybox"
	mv "$work/busybox" "$dest/busybox"
	echo "$bbver" >"$dest/busybox/.stamp"
	echo "mkdom0: busybox-static $bbver" >&2
fi

# ---- the initramfs ----------------------------------------------------

# dom0/files: "<path in the initramfs> <source>", the source relative to
# the build directory, or to the source tree when it starts with "src:".
filelist=$src/files
[ -s "$filelist" ] || die "$filelist: missing"
sources=()
targets=()
while read -r tgt from rest; do
	case "$tgt" in ''|'#'*) continue ;; esac
	[ -n "$from" ] && [ -z "$rest" ] || die "$filelist: bad line: $tgt $from $rest"
	case "$from" in
	src:*) from=$top/${from#src:} ;;
	*) from=$build/$from ;;
	esac
	[ -f "$from" ] || die "$from: missing (listed in dom0/files; build it first)"
	sources+=("$from")
	targets+=("$tgt")
done <"$filelist"

modlist=$src/modules
[ -s "$modlist" ] || die "$modlist: missing"

# Fingerprint every input (the module order follows from the kernel and
# dom0/modules); an unchanged fingerprint means nothing to do.
fp=$( {
	echo "kernel $want busybox $bbver"
	printf '%s\n' "${targets[@]}"
	cat "$filelist" "$modlist" "$src/cmdline" "${sources[@]}" \
		"$top/scripts/mkdom0.sh" "$top/scripts/modorder.sh" "$top/scripts/cmdline.sh" | sha256sum
	find "$src" -type f | LC_ALL=C sort | xargs sha256sum
} | sha256sum | cut -d' ' -f1)
if [ -s "$dest/initramfs.cpio.gz" ] && [ "$(cat "$dest/.initramfs-inputs" 2>/dev/null)" = "$fp" ]; then
	exit 0
fi

# The modules to load, then everything they need, in load order.
names=$(sed 's/#.*//' "$modlist" | xargs)
[ -n "$names" ] || die "$modlist names no module"
# shellcheck disable=SC2086
mapfile -t order < <(bash "$top/scripts/modorder.sh" "$dest/modules/modules.dep" $names ||
	echo "!failed")
[ "${order[-1]}" != "!failed" ] || die "cannot order the modules of $modlist for $release"

root=$work/initramfs
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,root,etc,var/log}
mkdir -p "$root/lib/modules/$release"
chmod 1777 "$root/tmp"
cp "$dest/busybox/bin/busybox" "$root/bin/busybox"
# One symlink per applet, where the packaged busybox says it lives.
"$root/bin/busybox" --list-full | while read -r applet; do
	[ "$applet" = bin/busybox ] && continue
	mkdir -p "$root/$(dirname "$applet")"
	rel=$(realpath --relative-to="$root/$(dirname "$applet")" "$root/bin/busybox")
	ln -sf "$rel" "$root/$applet"
done
# busybox insmod takes plain .ko files: decompress at build time.
: >"$root/etc/modules-load-order"
for m in "${order[@]}"; do
	out=$root/lib/modules/$release/${m%.xz}
	out=${out%.zst}; out=${out%.gz}
	mkdir -p "$(dirname "$out")"
	case "$m" in
	*.xz) xz -dc "$dest/modules/$m" >"$out" ;;
	*.zst) zstd -qdc "$dest/modules/$m" >"$out" ;;
	*.gz) gzip -dc "$dest/modules/$m" >"$out" ;;
	*) cp "$dest/modules/$m" "$out" ;;
	esac
	echo "/lib/modules/$release/${out#$root/lib/modules/$release/}" >>"$root/etc/modules-load-order"
done
# Programs go in without their debug sections (the build keeps them, for
# symbolising); scripts and other files as they are.
for i in "${!targets[@]}"; do
	mkdir -p "$root/$(dirname "${targets[i]}")"
	if [ "$(head -c 4 "${sources[i]}")" = $'\x7fELF' ]; then
		strip --strip-debug -o "$root/${targets[i]}" "${sources[i]}" ||
			die "strip ${sources[i]} failed"
	else
		cp "${sources[i]}" "$root/${targets[i]}"
	fi
done
echo "$release" >"$root/etc/kernel-release"

# Same inputs, same bytes: fixed times, owners and order, no gzip name.
find "$root" -exec touch -h -d @0 {} +
out=$work/initramfs.cpio.gz
(cd "$root" && find . | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9n >"$out"
mv "$out" "$dest/initramfs.cpio.gz"
bash "$top/scripts/cmdline.sh" "$src/cmdline" >"$dest/cmdline" || die "no command line in dom0/cmdline"
echo "$fp" >"$dest/.initramfs-inputs"
echo "mkdom0: initramfs $(du -h "$dest/initramfs.cpio.gz" | cut -f1) with ${#order[@]} modules," \
	"${#targets[@]} files -> $dest/initramfs.cpio.gz" >&2
