#!/usr/bin/env bash
# `make bench-memory`: peak RSS and wall time of cold builds of the
# 4,000- and 20,000-page gen_site.py sites, the 20,000-page one with and
# without --memory-limit 96M (outputs compared byte for byte).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(pwd)/${BIN:-.build/release/unjucksd}
SHARED=$(cd "${SHARED:-../shared}" && pwd)
WORK=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp)/unjucksd-bench-memory}
rm -rf "$WORK" && mkdir -p "$WORK"
python3 "$SHARED/bench/gen_site.py" --pages 4000 --format unjucksd --out "$WORK/s4k" >/dev/null
python3 "$SHARED/bench/gen_site.py" --pages 20000 --format unjucksd --out "$WORK/s20k" >/dev/null

run() { # label site out extra-args...
  local label=$1 site=$2 out=$3; shift 3
  rm -rf "$WORK/$out" "$WORK/$out.db"*
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$BIN" build "$WORK/$site" --out "$WORK/$out" --cache "sqlite:$WORK/$out.db" --quiet "$@"
  read -r secs kib < "$WORK/time.txt"
  printf '%-28s %6.2fs wall  %4d MiB peak RSS\n' "$label" "$secs" $((kib / 1024))
  echo "$kib" > "$WORK/$out.rss"
}
run "4,000 pages, no limit"        s4k  o4k
run "20,000 pages, no limit"       s20k o20k
run "20,000 pages, --memory-limit 96M" s20k o20k-limited --memory-limit 96M
r4=$(cat "$WORK/o4k.rss"); r20=$(cat "$WORK/o20k.rss"); rl=$(cat "$WORK/o20k-limited.rss")
awk -v a="$r4" -v b="$r20" -v l="$rl" 'BEGIN {
  printf "growth 4k -> 20k pages (5x): %.2fx peak RSS (target <= 1.5x)\n", b / a
  printf "limited build peak: %.1f MiB (bar: <= 106 MiB = 1.1 x 96M)\n", l / 1024 }'
if diff -r "$WORK/o20k" "$WORK/o20k-limited" >/dev/null; then echo "limited and unlimited outputs: byte-identical"; else echo "outputs differ"; exit 1; fi
