#!/usr/bin/env bash
# CLI behaviour against the real daemon: outputs and exit codes that
# scripts written for Xen's xenstore-* tools rely on.
set -u
OUT=$1
X=$OUT/xenstore
dir=$(mktemp -d /tmp/xs-cli-XXXXXX)
"$OUT/xenstored" -s "$dir/sock" -D -l error &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
export XENSTORED_PATH=$dir/sock
for i in $(seq 100); do [ -S "$dir/sock" ] && break; sleep 0.02; done
pass=0 fail=0

expect() {	# name, expected output, expected rc, command...
	local name=$1 want=$2 wantrc=$3 got rc
	shift 3
	got=$("$@" 2>&1); rc=$?
	if [ "$got" == "$want" ] && [ $rc -eq "$wantrc" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL %s: rc %s (want %s)\n--- got\n%s\n--- want\n%s\n' \
			"$name" "$rc" "$wantrc" "$got" "$want"
	fi
}

for c in read write rm ls list exists chmod watch mkdir; do
	ln -sf "$X" "$dir/xenstore-$c"
done

expect write-pair "" 0 $X write /vm/a 1 /vm/b 'two\tx'
expect write-odd "Usage: $X write [-h] [-R] key value [...]" 1 $X write /vm/a
expect read-multi $'1\ntwo\\tx' 0 $X read /vm/a /vm/b
expect read-prefix $'/vm/a: 1' 0 $X read -p /vm/a
expect read-raw $'two\tx' 0 $X read -R /vm/b
expect read-missing "xenstore: couldn't read path /nope" 1 $X read /nope
expect link-read "1" 0 "$dir/xenstore-read" /vm/a
expect exists-yes "" 0 "$dir/xenstore-exists" /vm/a
expect exists-no "" 1 "$dir/xenstore-exists" /vm/zz
expect list $'a\nb' 0 $X list /vm
expect list-prefix $'/vm/a\n/vm/b' 0 $X list -p /vm
expect list-root $'/local\n/vm' 0 $X list -p /
expect ls "$(printf 'a = "1"\nb = "two\\tx"')" 0 $X ls /vm
expect ls-flat "$(printf '/vm/a = "1"\n/vm/b = "two\\tx"')" 0 $X ls -f /vm
expect mkdir "" 0 "$dir/xenstore-mkdir" /vm/c/d
expect ls-tree "$(printf 'a = "1"\nb = "two\\tx"\nc = ""\n d = ""')" 0 \
	$X ls /vm
expect chmod "" 0 $X chmod /vm/a n0 r5
expect ls-perms \
	'a = "1"  . . . . . . . . . . . . . . . . . . . . . . . . . .  (n0,r5)' \
	0 bash -c "$X ls -p /vm | head -1"
expect chmod-bad "xenstore: Invalid permission specification: 'x'" 1 \
	$X chmod /vm/a x5
expect chmod-recurse "" 0 $X chmod -r /vm/c b7
expect perms-recursed "$(printf 'd = "" . . . . . . . . . . . . . . . . . . . . . . . . . . .  (b7)')" \
	0 bash -c "$X ls -p /vm/c"
expect rm-tidy "" 0 $X rm -t /vm/c/d
expect rm-tidied "" 1 $X exists /vm/c
expect rm-missing-parent "xenstore: could not remove path /x/y" 1 \
	$X rm /x/y
expect unknown-mode "xenstore: unknown mode frob" 1 $X frob
expect help "Usage: $X read [-h] [-p] [-R] key [...]" 0 $X read -h

# watch: initial event, then one per change.
$X watch -n 3 /w > "$dir/watch.out" &
wpid=$!
sleep 0.3
$X write /w/x 1
$X rm /w
wait $wpid
expect watch $'/w\n/w/x\n/w' 0 cat "$dir/watch.out"

echo "CLI: $pass passed, $fail failed"
[ $fail -eq 0 ]
