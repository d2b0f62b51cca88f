#!/usr/bin/env bash
# HTTP throughput of the preview: `unjucksd watch` (release build) on a
# generated site, then wrk on loopback against one preview page:
# -c1000 for 10 s (bar: no socket errors, >= 20,000 requests/s on 2 cores
# shared with wrk), then -c10000 (bar: completes, the daemon still answers,
# no build failed).
#
#   scripts/bench-http.sh [--pages 200] [--duration 10s] [--bin PATH]
set -euo pipefail
cd "$(dirname "$0")/.."

PAGES=200
DURATION=10s
BIN=.build/release/unjucksd
while [ $# -gt 0 ]; do
  case "$1" in
    --pages) PAGES=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
[ -x "$BIN" ] || swift build -c release --product unjucksd

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
. scripts/daemon-lib.sh
daemon_setup bench-http

python3 ../shared/bench/gen_site.py --pages "$PAGES" --format unjucksd --out "$WORK/site" >/dev/null
"$BIN" watch "$WORK/site" --out "$WORK/out" --cache "sqlite:$WORK/cache.db" --port "$PORT" 2>"$WORK/daemon.log" &
DAEMON_PID=$!
wait_ready || { echo "daemon not ready" >&2; exit 1; }
URL="http://127.0.0.1:$PORT/sites/site/posts/post-00010/"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL")" = 200 ] || { echo "preview page $URL not served" >&2; exit 1; }
echo "page: $URL ($(curl -s "$URL" | wc -c) bytes, open-files limit $(ulimit -n))"

run() {
  local connections=$1
  echo "== wrk -t2 -c$connections -d$DURATION"
  wrk -t2 -c"$connections" -d"$DURATION" --timeout 10s "$URL" | tee "$WORK/wrk-$connections.txt"
}

run 1000
rps=$(awk '/Requests\/sec/ {print int($2)}' "$WORK/wrk-1000.txt")
errors=$(grep -o 'Socket errors:.*' "$WORK/wrk-1000.txt" || echo "Socket errors: none")
echo "-c1000: $rps requests/s; $errors; bar >= 20000 and no socket errors: $([ "$rps" -ge 20000 ] && ! grep -q 'Socket errors' "$WORK/wrk-1000.txt" && echo MET || echo NOT MET)"

run 10000
alive=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health" || true)
failed=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^unjucksd_builds_total\{result="failure"\}/ {print $2}')
echo "-c10000: daemon /health $alive, failed builds ${failed:-0}; $(kill -0 $DAEMON_PID 2>/dev/null && echo 'daemon running' || echo 'DAEMON DIED')"
