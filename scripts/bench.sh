#!/usr/bin/env bash
# `make bench`: the render benchmark and the build benchmark against Hugo,
# both on this machine in the same run. Prints medians and ratios.
# Work goes to /dev/shm (tmpfs) when there is one, for both tools: on the
# shared virtual disk, creating and deleting 8,000 files per run makes the
# kernel's share of either build vary several-fold from run to run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/unjucksd}
SHARED=${SHARED:-../shared}
WORK=${BENCH_DIR:-$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp)/unjucksd-bench}
PAGES=${PAGES:-4000}
RUNS=${RUNS:-5}
mkdir -p "$WORK"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
# wall seconds (to the millisecond: time(1)'s %e has 10 ms steps, too
# coarse for 20-60 ms rebuilds) and peak RSS (KiB) of one command: prints "SECONDS KIB"
measure() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || { cat "$WORK/stderr.txt" >&2; return 1; }
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v kib="$(cat "$WORK/time.txt")" 'BEGIN { printf "%.3f %s\n", ns / 1e9, kib }'
}
now() { date +%s.%N; }
# Every timed build starts on a settled machine: a build (or the rm -rf
# before a cold one) leaves the kernel freeing thousands of files and tens
# of MB for a few milliseconds after it exits, and a build started at once
# pays part of that (a no-op right after a cold build: 19-20 ms, 300 ms
# later: 14-16 ms). Applied alike to every build measured, Hugo's too.
settle() { sleep "${SETTLE:-0.5}"; }
# wall seconds of one command, timed around its spawn and exit only: the
# fork/exec of time(1) and two date(1) calls in `measure` add 2-3 ms, a
# tenth of a 20 ms rebuild (and nothing of a cold one).
wall() {
  python3 - "$@" <<'PY'
import subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(f"{time.perf_counter() - start:.4f}")
sys.exit(code)
PY
}

echo "== render benchmark (../shared/bench/render: 20,000 macro calls, 3.7 MB out)"
R="$SHARED/bench/render"
"$BIN" render main.njk --root "$R" --context "$R/context.json" | cmp - "$R/expected.html" && echo "output: identical to Nunjucks's expected.html"
rt=(); rr=()
for i in $(seq 1 "$RUNS"); do read -r s k < <(measure "$BIN" render main.njk --root "$R" --context "$R/context.json"); rt+=("$s"); rr+=("$k"); done
rmed=$(printf '%s\n' "${rt[@]}" | median); rrss=$(printf '%s\n' "${rr[@]}" | median)
echo "unjucksd render: median ${rmed}s wall, $((rrss / 1024)) MiB peak RSS (Nunjucks 3.2.4 on Node 20: 0.28 s, 94 MiB)"
awk -v a="$rmed" 'BEGIN { printf "ratio unjucksd/nunjucks wall: %.3f (bar: <= 0.333)\n", a / 0.28 }'

echo
echo "== build benchmark: $PAGES-page gen_site.py site, unjucksd vs Hugo, cold builds alternating, median of $RUNS"
command -v hugo >/dev/null || { echo "installing hugo"; apt-get install -y -qq hugo >/dev/null; }
rm -rf "$WORK/site" "$WORK/hugo"
python3 "$SHARED/bench/gen_site.py" --pages "$PAGES" --format unjucksd --out "$WORK/site" >/dev/null
python3 "$SHARED/bench/gen_site.py" --pages "$PAGES" --format hugo --out "$WORK/hugo" >/dev/null
ut=(); ur=(); ht=(); hr=()
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/out" "$WORK/cache.db"*; settle
  read -r s k < <(measure "$BIN" build "$WORK/site" --out "$WORK/out" --cache "sqlite:$WORK/cache.db" --quiet); ut+=("$s"); ur+=("$k")
  rm -rf "$WORK/hugo-out" "$WORK/hugo/resources"; settle
  read -r s k < <(cd "$WORK/hugo" && measure hugo --quiet -d "$WORK/hugo-out"); ht+=("$s"); hr+=("$k")
done
um=$(printf '%s\n' "${ut[@]}" | median); hm=$(printf '%s\n' "${ht[@]}" | median)
urss=$(printf '%s\n' "${ur[@]}" | median); hrss=$(printf '%s\n' "${hr[@]}" | median)
echo "unjucksd cold build: ${um}s wall, $((urss / 1024)) MiB peak RSS"
echo "hugo     cold build: ${hm}s wall, $((hrss / 1024)) MiB peak RSS"
awk -v a="$um" -v b="$hm" 'BEGIN { printf "ratio unjucksd/hugo wall: %.3f (bar: <= 0.5)\n", a / b }'

echo
echo "== incremental builds: each run is a cold build, then a no-op, one post edited, base.njk edited"
echo "   (interleaved, so each ratio compares builds made within seconds of each other: this VM's speed drifts)"
post="$WORK/site/posts/post-00042.md"
base="$WORK/site/_layouts/base.njk"
ct=(); nt=(); ot=(); bt=(); nr=(); or=(); br=()
for i in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/out" "$WORK/cache.db"*
  build() { settle; wall "$BIN" build "$WORK/site" --out "$WORK/out" --cache "sqlite:$WORK/cache.db" --quiet; }
  c=$(build)
  n=$(build)
  printf '\nEdited at %s.\n' "$(now)" >> "$post"
  o=$(build)
  sed -i "s|<footer[^>]*>|<footer data-edit=\"$(now)\">|" "$base"
  b=$(build)
  ct+=("$c"); nt+=("$n"); ot+=("$o"); bt+=("$b")
  nr+=("$(awk -v x="$n" -v c="$c" 'BEGIN { print 100 * x / c }')")
  or+=("$(awk -v x="$o" -v c="$c" 'BEGIN { print 100 * x / c }')")
  br+=("$(awk -v x="$b" -v c="$c" 'BEGIN { print 100 * x / c }')")
done
med() { printf '%s\n' "$@" | median; }
echo "cold build (this part): median $(med "${ct[@]}")s"
printf "no-op rebuild:     median %.3fs, median %.1f%% of its run's cold build (bar: <= 5%%)\n" "$(med "${nt[@]}")" "$(med "${nr[@]}")"
printf "one post edited:   median %.3fs, median %.1f%% of its run's cold build (bar: <= 10%%)\n" "$(med "${ot[@]}")" "$(med "${or[@]}")"
printf "base.njk edited:   median %.3fs, median %.1f%% of its run's cold build (bar: <= 100%%)\n" "$(med "${bt[@]}")" "$(med "${br[@]}")"
