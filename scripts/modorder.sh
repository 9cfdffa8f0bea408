#!/usr/bin/env bash
# Print the load order of kernel modules and everything they depend on,
# from a modules.dep file (as depmod writes it): one path per line, each
# module after all it depends on, each once.
#   modorder.sh MODULES_DEP NAME...
# A NAME is a module's file name without .ko (and without .xz/.zst/.gz),
# e.g. xen-privcmd. An unknown name is an error (status 1).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 modules.dep name..." >&2; exit 2; }
dep=$1
shift
[ -r "$dep" ] || { echo "modorder: $dep: cannot read" >&2; exit 1; }

declare -A deps=() byname=() seen=()
while IFS=: read -r mod list; do
	[ -n "$mod" ] || continue
	deps[$mod]=$list
	base=${mod##*/}
	base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
	byname[${base%.ko}]=$mod
done <"$dep"

order=()
visit() {	# path, chain (for cycle reports)
	local m=$1 i list
	case "${seen[$m]:-}" in
	done) return 0 ;;
	active) echo "modorder: dependency cycle through $m" >&2; exit 1 ;;
	esac
	seen[$m]=active
	# modules.dep lists a module's dependencies nearest first; load
	# from the far end, as modprobe does.
	read -r -a list <<<"${deps[$m]:-}"
	for ((i = ${#list[@]} - 1; i >= 0; i--)); do
		[ -n "${deps[${list[i]}]+set}" ] ||
			{ echo "modorder: $m needs ${list[i]}, which $dep lacks" >&2; exit 1; }
		visit "${list[i]}"
	done
	seen[$m]=done
	order+=("$m")
}
for name in "$@"; do
	[ -n "${byname[$name]:-}" ] || { echo "modorder: module $name is not in $dep" >&2; exit 1; }
	visit "${byname[$name]}"
done
printf '%s\n' "${order[@]}"
