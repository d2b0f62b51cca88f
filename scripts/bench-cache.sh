#!/usr/bin/env bash
# `make bench-cache`: two "machines" (two working directories, two SQLite
# files) share one Redis. Machine A builds the 4000-page site cold; machine B
# then builds the same sources cold and should fetch instead of render.
# Run under scripts/with-redis.sh (UNJUCKSD_TEST_REDIS=host:port).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(pwd)/${BIN:-.build/release/unjucksd}
SHARED=$(cd "${SHARED:-../shared}" && pwd)
WORK=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp)/unjucksd-bench-cache}
PAGES=${PAGES:-4000}
REDIS="redis://${UNJUCKSD_TEST_REDIS:?run under scripts/with-redis.sh}"
rm -rf "$WORK" && mkdir -p "$WORK/a" "$WORK/b"
python3 "$SHARED/bench/gen_site.py" --pages "$PAGES" --format unjucksd --out "$WORK/site" >/dev/null
redis-cli -u "$REDIS" flushall >/dev/null

build() { # dir -> prints "seconds json"
  (cd "$1" && /usr/bin/time -f "%e" -o time.txt "$BIN" build "$WORK/site" --out out --cache "$REDIS" --json > summary.json && cat time.txt)
}
ta=$(build "$WORK/a")
tb=$(build "$WORK/b")
python3 - "$WORK" "$ta" "$tb" <<'PY'
import json, sys
work, ta, tb = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
a = json.load(open(work + "/a/summary.json")); b = json.load(open(work + "/b/summary.json"))
r = b["cache"].get("redis", {})
print(f"machine A cold build: {ta:.2f}s wall, rendered {a['rendered']} of {a['pages']} pages")
print(f"machine B cold build: {tb:.2f}s wall, rendered {b['rendered']}, from cache {b['cached']} of {b['pages']} pages")
served = b["cached"] / max(1, b["pages"])
print(f"pages B got from the shared cache: {100*served:.1f}% (bar: >= 99%); redis hits {r.get('hits')} misses {r.get('misses')} errors {r.get('errors')}")
print(f"ratio B/A wall: {tb/ta:.3f} (bar: <= 0.20)")
PY
if diff -r "$WORK/a/out" "$WORK/b/out" >/dev/null; then echo "outputs of A and B: byte-identical"; else echo "outputs differ"; exit 1; fi
