#!/usr/bin/env bash
# make bench: hv's xenstored, and Debian's C xenstored side by side when
# it can serve requests on this host. Debian's is fetched (never
# installed) by scripts/fetch-xen-xenstored.sh; XEN_XENSTORED=/path names
# another (with its libraries on LD_LIBRARY_PATH).
set -u
OUT=$1
RUNS=${BENCH_RUNS:-5}
MS=${BENCH_MS:-400}
dir=$(mktemp -d /tmp/xs-bench-XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$dir"
}
trap cleanup EXIT

wait_sock() {
	for _ in $(seq 200); do [ -S "$1" ] && return 0; sleep 0.02; done
	return 1
}

echo "== xenstore bench: hv xenstored (UNIX socket, $RUNS runs x ${MS} ms)"
"$OUT/xenstored" -s "$dir/hv.sock" -D -l error &
pids+=($!)
wait_sock "$dir/hv.sock" || { echo "hv xenstored did not start"; exit 1; }
"$OUT/xs-bench" "$dir/hv.sock" "$RUNS" "$MS"

deb=${XEN_XENSTORED:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
if [ -z "$deb" ] && deb=$(bash "$top/scripts/fetch-xen-xenstored.sh" "$build"); then
	export LD_LIBRARY_PATH=$build/xen-utils/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
echo "== Debian xenstored ${deb:+($deb)}"
if [ -z "$deb" ]; then
	echo "not measured: Debian's xenstored (xen-utils-4.17) could not be fetched;"
	echo "set XEN_XENSTORED to try one"
	exit 0
fi
# Without /dev/xen it only starts with -D (--no-domain-init), which in
# 4.17 also skips creating the store: probe before measuring.
mkdir -p "$dir/deb"
XENSTORED_RUNDIR=$dir/deb XENSTORED_PATH=$dir/deb/socket "$deb" -N -D \
	>"$dir/deb.log" 2>&1 &
pids+=($!)
if wait_sock "$dir/deb/socket" &&
   XENSTORED_PATH=$dir/deb/socket timeout 5 "$OUT/xenstore" write /probe 1 \
	2>/dev/null; then
	"$OUT/xs-bench" "$dir/deb/socket" "$RUNS" "$MS"
else
	echo "not measured: $deb cannot serve requests on this host"
	echo "(without /dev/xen it needs -D, and 4.17's -D skips the store"
	echo " set-up, so the first request crashes it: $(tail -c 200 "$dir/deb.log" | tr '\n' ' '))"
fi
