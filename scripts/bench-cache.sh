#!/usr/bin/env bash
# `make bench-cache`: two "machines" (two working directories, two SQLite
# files) share one Redis. Machine A builds the 4000-page site cold; machine B
# then builds the same sources cold and should fetch instead of render.
# ROUNDS rounds (default 5), each on an emptied Redis; the ratio is taken
# within each round and the median printed.
# Run under scripts/with-redis.sh (UNJUCKSD_TEST_REDIS=host:port).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(pwd)/${BIN:-.build/release/unjucksd}
SHARED=$(cd "${SHARED:-../shared}" && pwd)
WORK=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp)/unjucksd-bench-cache}
PAGES=${PAGES:-4000}
ROUNDS=${ROUNDS:-5}
REDIS="redis://${UNJUCKSD_TEST_REDIS:?run under scripts/with-redis.sh}"
rm -rf "$WORK" && mkdir -p "$WORK"
python3 "$SHARED/bench/gen_site.py" --pages "$PAGES" --format unjucksd --out "$WORK/site" >/dev/null

# The kernel is still freeing the previous build's files for a moment after
# it exits (see scripts/bench.sh).
settle() { sleep "${SETTLE:-0.5}"; }
build() { # machine -> writes $WORK/<machine>/summary.json, prints wall nanoseconds
  rm -rf "$WORK/$1" && mkdir -p "$WORK/$1" && settle
  (cd "$WORK/$1" && local start=$(date +%s%N) && "$BIN" build "$WORK/site" --out out --cache "$REDIS" --json > summary.json \
    && echo $(( $(date +%s%N) - start )))
}
for round in $(seq "$ROUNDS"); do
  redis-cli -u "$REDIS" flushall >/dev/null
  ta=$(build a)
  tb=$(build b)
  echo "$ta $tb" >> "$WORK/times.txt"
  diff -r "$WORK/a/out" "$WORK/b/out" >/dev/null || { echo "round $round: outputs of A and B differ"; exit 1; }
done
python3 - "$WORK" <<'PY'
import json, statistics, sys
work = sys.argv[1]
rounds = [tuple(int(x) / 1e9 for x in line.split()) for line in open(work + "/times.txt")]
a = json.load(open(work + "/a/summary.json")); b = json.load(open(work + "/b/summary.json"))
r = b["cache"].get("redis", {})
site = b["sites"][0]
print(f"machine A cold build: median {statistics.median(t for t, _ in rounds):.3f}s wall, rendered {a['rendered']} of {a['pages']} pages")
print(f"machine B cold build: median {statistics.median(t for _, t in rounds):.3f}s wall, rendered {b['rendered']}, from cache {b['cached']} of {b['pages']} pages, site action: {site.get('site_action')}")
served = b["cached"] / max(1, b["pages"])
print(f"pages B got from the shared cache: {100*served:.1f}% (bar: >= 99%); redis hits {r.get('hits')} misses {r.get('misses')} errors {r.get('errors')}")
ratios = [tb / ta for ta, tb in rounds]
print("ratio B/A wall per round: " + " ".join(f"{x:.3f}" for x in ratios))
print(f"ratio B/A wall: median {statistics.median(ratios):.3f} (bar: <= 0.20)")
print("outputs of A and B: byte-identical in every round")
PY
