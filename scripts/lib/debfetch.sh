# shellcheck shell=bash
# Fetching Debian packages without installing them, for the scripts that
# unpack Debian's kernel, busybox and Xen under build/ (design.md decision
# 8: packages come from Debian, through apt, and nothing is installed).
# Source it from a bash script running under `set -euo pipefail`:
#
#   deb_lock DIR          make DIR and hold DIR/.lock (fd 9) until the script
#                         exits, so two callers at once serialise; make
#                         $DEB_WORK, a scratch directory inside DIR that is
#                         removed on exit (this takes the EXIT trap).
#   deb_download PKG[=VER]...
#                         `apt-get download` the packages into a fresh
#                         directory under $DEB_WORK; when that fails, refresh
#                         the package lists once and try again. Prints the
#                         .deb files, one a line, in the order asked.
#   deb_refresh_lists     `apt-get update` (as root, or through sudo -n), best
#                         effort: an offline machine keeps its lists.
#   deb_records PKG...    read the candidate records of the packages from the
#                         local package lists (no network) into $DEB_RECORDS.
#   deb_field PKG FIELD   one field of a record deb_records read, e.g.
#                         `deb_field busybox-static Version`; empty if none.
#
# Messages go to stderr, prefixed with the calling script's name.

DEB_WHO=$(basename "$0" .sh)
DEB_WORK=
DEB_RECORDS=

deb_lock() {
	mkdir -p "$1"
	exec 9>"$1/.lock"
	flock 9
	DEB_WORK=$(mktemp -d "$1/.work.XXXXXX")
	trap 'rm -rf "$DEB_WORK"' EXIT
	DEB_WORK=$(cd "$DEB_WORK" && pwd)
}

deb_refresh_lists() {
	echo "$DEB_WHO: refreshing the package lists" >&2
	if [ "$(id -u)" = 0 ]; then
		apt-get update >/dev/null 2>&1 || true
	else
		sudo -n apt-get update >/dev/null 2>&1 || true
	fi
}

# Runs in a subshell (its caller reads its output), where errexit is off:
# every step checks for itself.
deb_download() {
	local dir arg deb
	[ -n "$DEB_WORK" ] || { echo "$DEB_WHO: deb_download before deb_lock" >&2; return 1; }
	dir=$(mktemp -d "$DEB_WORK/dl.XXXXXX") || return 1
	if ! (cd "$dir" && apt-get download "$@" >"$dir/apt.log" 2>&1); then
		deb_refresh_lists
		if ! (cd "$dir" && apt-get download "$@" >"$dir/apt.log" 2>&1); then
			cat "$dir/apt.log" >&2
			echo "$DEB_WHO: apt-get download $* failed" >&2
			return 1
		fi
	fi
	for arg in "$@"; do
		deb=$(ls "$dir/${arg%%=*}_"*.deb 2>/dev/null | head -n1)
		[ -n "$deb" ] || { echo "$DEB_WHO: no .deb for ${arg%%=*} after download" >&2; return 1; }
		echo "$deb"
	done
}

deb_records() {
	DEB_RECORDS=$(apt-cache show --no-all-versions "$@" 2>/dev/null || true)
}

deb_field() {
	printf '%s\n' "$DEB_RECORDS" | awk -v pkg="$1" -v want="$2" '
		/^Package: / { cur = substr($0, 10) }
		cur == pkg && index($0, want ": ") == 1 { print substr($0, length(want) + 3); exit }'
}
