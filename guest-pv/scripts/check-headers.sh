#!/usr/bin/env bash
# Compile every public ABI header on its own, as C and as C++, so that each
# one stands alone (includes what it needs, nothing else) and stays usable
# from the C++ of any tool. hv's own io/xs_wire.h is checked too.
#   check-headers.sh PUBLIC_INC_DIR STAMP
set -euo pipefail
inc=$1 stamp=$2
: "${HOSTCC:=gcc}" "${HOSTCXX:=g++}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hdrchk.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$inc"
fail=0
for h in $(find public/ -name '*.h' | sort); do
	printf '#include <%s>\n#include <%s>\n' "$h" "$h" >"$tmp/t.c"
	# Implicit padding is a bug in an ABI struct: every hole is spelled
	# out. (xs_wire.h belongs to xenstore and is only checked to compile.)
	padded=-Wpadded
	[ "$h" = public/io/xs_wire.h ] && padded=
	if ! "$HOSTCC" -std=gnu11 -Wall -Wextra -Werror $padded -I"$inc" -fsyntax-only -x c "$tmp/t.c" 2>"$tmp/err"; then
		echo "check-headers: $h does not compile as C:" >&2; cat "$tmp/err" >&2; fail=1
	fi
	if ! "$HOSTCXX" -std=gnu++11 -Wall -Wextra -Werror -I"$inc" -fsyntax-only -x c++ "$tmp/t.c" 2>"$tmp/err"; then
		echo "check-headers: $h does not compile as C++:" >&2; cat "$tmp/err" >&2; fail=1
	fi
	if grep -n '#include' "$h" | grep -v -E '#include (<stdint.h>|"[a-z0-9_./-]+\.h")' >"$tmp/inc"; then
		echo "check-headers: $h includes something outside the public ABI:" >&2; cat "$tmp/inc" >&2; fail=1
	fi
done
[ $fail = 0 ] && touch "$stamp"
exit $fail
