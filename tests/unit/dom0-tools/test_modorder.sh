#!/usr/bin/env bash
# scripts/modorder.sh on made-up modules.dep files: dependencies first,
# each module once, modprobe's order within a list, compressed names,
# and clear failures for unknown names, missing entries and cycles.
# Ends with "N passed, N failed".
set -u
M=$1
dir=$(mktemp -d /tmp/modorder-XXXXXX)
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0

expect() {	# name, wanted status, wanted output (exact), modules.dep text, names...
	local name=$1 wantrc=$2 want=$3 text=$4 got rc
	shift 4
	printf '%s' "$text" >"$dir/modules.dep"
	got=$(bash "$M" "$dir/modules.dep" "$@" 2>&1); rc=$?
	if [ $rc -eq "$wantrc" ] && [ "$got" == "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL %s: status %s (want %s)\n--- got\n%s\n--- want\n%s\n' \
			"$name" "$rc" "$wantrc" "$got" "$want"
	fi
}

# c needs b needs a: depmod lists the whole chain, nearest first.
chain='k/a.ko:
k/b.ko: k/a.ko
k/c.ko: k/b.ko k/a.ko
'
expect chain 0 $'k/a.ko\nk/b.ko\nk/c.ko' "$chain" c
expect chain-each-once 0 $'k/a.ko\nk/b.ko\nk/c.ko' "$chain" c b a c
expect chain-leaf 0 'k/a.ko' "$chain" a
expect asked-order-kept 0 $'k/a.ko\nk/b.ko' "$chain" a b

# d needs b and c, both need a (a diamond).
diamond='k/a.ko:
k/b.ko: k/a.ko
k/c.ko: k/a.ko
k/d.ko: k/c.ko k/b.ko k/a.ko
'
expect diamond 0 $'k/a.ko\nk/b.ko\nk/c.ko\nk/d.ko' "$diamond" d

# Compressed modules keep their file names; names are matched without them.
expect compressed 0 $'k/x/xen-evtchn.ko.xz\nk/y/xenfs.ko.zst' \
	'k/x/xen-evtchn.ko.xz:
k/y/xenfs.ko.zst: k/x/xen-evtchn.ko.xz
' xenfs

expect unknown 1 "modorder: module nosuch is not in $dir/modules.dep" "$chain" nosuch
expect dangling 1 "modorder: k/b.ko needs k/z.ko, which $dir/modules.dep lacks" \
	'k/b.ko: k/z.ko
' b
expect cycle 1 'modorder: dependency cycle through k/a.ko' \
	'k/a.ko: k/b.ko
k/b.ko: k/a.ko
' a
got=$(bash "$M" "$dir/none" x 2>&1); rc=$?
[ $rc -eq 1 ] && [ "$got" == "modorder: $dir/none: cannot read" ] && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL no-file: $rc $got"; }

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
