#!/usr/bin/env bash
# hvctl on the host: no privcmd here, so every path that needs the
# hypervisor must fail with a clear message and status 1; bad usage gets
# status 2 and the usage text. Ends with "N passed, N failed".
set -u
H=$1
pass=0 fail=0

expect() {	# name, wanted status, regex the output must match, command...
	local name=$1 wantrc=$2 re=$3 got rc
	shift 3
	got=$("$@" 2>&1); rc=$?
	if [ $rc -eq "$wantrc" ] && [[ $got =~ $re ]]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL %s: status %s (want %s), output:\n%s\n--- should match: %s\n' \
			"$name" "$rc" "$wantrc" "$got" "$re"
	fi
}

expect no-command 2 $'^hvctl: no command given\nUsage: hvctl' "$H"
expect unknown 2 "^hvctl: unknown command 'frob'" "$H" frob
expect bad-option 2 "^hvctl: bad option '--bogus'" "$H" --bogus version
expect help 0 $'Commands:\n  list .*\n  version ' "$H" help
expect list-extra-arg 2 '^hvctl: list takes no arguments$' "$H" list all
expect list-not-privcmd 1 '^hvctl: sysctl\(domain_list\): /dev/null is not a privcmd device' \
	"$H" --device /dev/null list
expect dash-h 0 '^Usage: hvctl' "$H" -h
expect version-extra-arg 2 '^hvctl: version takes no arguments$' "$H" version now
expect no-device 1 '^hvctl: cannot open /nonexistent/privcmd: No such file or directory \(not dom0' \
	"$H" -d /nonexistent/privcmd version
expect not-privcmd 1 '^hvctl: xen_version\(version\): /dev/null is not a privcmd device' \
	"$H" --device /dev/null version
expect missing-device-arg 2 $'^hvctl: option -d needs a PATH\nUsage: hvctl' "$H" -d
expect missing-device-arg-long 2 '^hvctl: option --device needs a PATH' "$H" --device

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
