#!/usr/bin/env bash
# The one reader of the command lines kept in files: dom0/cmdline (dom0's
# kernel command line) and dom0/xen-cmdline (Xen 4.17's own, booting that
# dom0). Config.mk, mkdom0.sh and the Python scenarios and benchmarks all
# read them through here, so they agree on what the line is.
#   cmdline.sh FILE [NAME=VALUE]...
# Prints the first line of FILE that is neither blank nor a comment (a
# '#' first, after leading blanks), trimmed, with each @NAME@ in it
# replaced by VALUE. Fails (status 1) when FILE has no such line or a
# @NAME@ is left without a value.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 file [name=value]..." >&2; exit 2; }
file=$1
shift
line=$(awk '{ sub(/^[ \t]+/, ""); sub(/[ \t\r]+$/, "") }
	$0 != "" && substr($0, 1, 1) != "#" { print; exit }' "$file")
[ -n "$line" ] || { echo "cmdline: $file holds no command line" >&2; exit 1; }
for kv in "$@"; do
	line=${line//@${kv%%=*}@/${kv#*=}}
done
if [[ $line =~ @[A-Za-z_][A-Za-z0-9_]*@ ]]; then
	echo "cmdline: $file: no value for ${BASH_REMATCH[0]}" >&2
	exit 1
fi
printf '%s\n' "$line"
