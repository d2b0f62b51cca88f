#!/usr/bin/env bash
# Watch-mode latency: start `unjucksd watch` (release build) on the generated
# N-page site, edit one post 50 times (alternating an in-place write and an
# atomic rename), and time each write to the rename of its output file
# (inotify IN_MOVED_TO on the output directory). Then edit the base layout
# and compare that rebuild of every page with the cold first build.
#
#   scripts/bench-watch.sh [--pages 4000] [--edits 50] [--settle MS] [--bin PATH]
set -euo pipefail
cd "$(dirname "$0")/.."

PAGES=4000
EDITS=50
SETTLE=""
BIN=.build/release/unjucksd
while [ $# -gt 0 ]; do
  case "$1" in
    --pages) PAGES=$2; shift 2 ;;
    --edits) EDITS=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$BIN" ] || swift build -c release --product unjucksd

. scripts/daemon-lib.sh
daemon_setup bench-watch

python3 ../shared/bench/gen_site.py --pages "$PAGES" --format unjucksd --out "$WORK/site" >/dev/null
ARGS=("$WORK/site" --out "$WORK/out" --cache "sqlite:$WORK/cache.db" --port "$PORT")
[ -n "$SETTLE" ] && ARGS+=(--settle "$SETTLE")
"$BIN" watch "${ARGS[@]}" 2>"$WORK/daemon.log" &
DAEMON_PID=$!

python3 - "$WORK" "$PORT" "$EDITS" "${SETTLE:-20}" "$DAEMON_PID" <<'PY'
import ctypes, json, os, select, signal, struct, sys, time, urllib.request

work, port, edits, settle, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
base = f"http://127.0.0.1:{port}"

def status():
    with urllib.request.urlopen(base + "/status", timeout=30) as r:
        return json.load(r)

def wait_ready(timeout=600):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(base + "/ready", timeout=5) as r:
                if r.status == 200: return
        except Exception:
            pass
        time.sleep(0.05)
    sys.exit("daemon never became ready")

def wait_idle(after_builds):
    end = time.time() + 600
    while time.time() < end:
        s = status()
        if s["builds"] > after_builds and not s["building"] and not s.get("indexing"):
            return s
        time.sleep(0.05)
    sys.exit("no rebuild seen")

wait_ready()
first = status()
while first.get("indexing"):  # let the search index take in the first build
    time.sleep(0.1)
    first = status()
cold = first["lastBuild"]["seconds"]
print(f"cold first build: {first['lastBuild']['pages']} pages in {cold*1000:.0f} ms")

libc = ctypes.CDLL("libc.so.6", use_errno=True)
IN_MOVED_TO, IN_CLOSE_WRITE = 0x80, 0x8
fd = libc.inotify_init1(os.O_NONBLOCK)
post = "post-00010"
source = os.path.join(work, "site", "posts", post + ".md")
outdir = os.path.join(work, "out", "site", "posts", post)
if not os.path.isdir(outdir):
    sys.exit(f"no output directory {outdir}")
wd = libc.inotify_add_watch(fd, outdir.encode(), IN_MOVED_TO | IN_CLOSE_WRITE)
original = open(source).read()

def drain():
    try:
        while os.read(fd, 65536): pass
    except BlockingIOError:
        pass

latencies = []
builder_ms = []
waiting_ms = []
for i in range(edits):
    builds = status()["builds"]
    drain()
    text = original + f"\n\nEdit number {i} at {time.time()}.\n"
    start = time.perf_counter()
    if i % 2 == 0:
        with open(source, "w") as f: f.write(text)
    else:
        tmp = source + ".tmp~"
        with open(tmp, "w") as f: f.write(text)
        os.rename(tmp, source)
    seen = None
    deadline = start + 30
    while seen is None and time.perf_counter() < deadline:
        r, _, _ = select.select([fd], [], [], 1)
        if not r: continue
        data = os.read(fd, 65536)
        now = time.perf_counter()
        off = 0
        while off < len(data):
            _, mask, _, length = struct.unpack_from("iIII", data, off)
            name = data[off + 16: off + 16 + length].rstrip(b"\0")
            off += 16 + length
            if mask & IN_MOVED_TO and name == b"index.html":
                seen = now
    if seen is None: sys.exit(f"edit {i}: output never replaced")
    latencies.append((seen - start) * 1000)
    after = wait_idle(builds)
    last = after["lastBuild"]
    builder_ms.append(last["seconds"] * 1000)
    if last.get("latencyMilliseconds") is not None:
        waiting_ms.append(last["latencyMilliseconds"] - last["seconds"] * 1000)

latencies.sort()
q = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))]
p50, p95 = q(0.50), q(0.95)
print(f"edit -> output rename over {edits} edits: p50 {p50:.1f} ms, p95 {p95:.1f} ms, min {latencies[0]:.1f}, max {latencies[-1]:.1f} (settle {settle:g} ms)")
print(f"  target p50 <= settle + 10 = {settle + 10:g} ms: {'MET' if p50 <= settle + 10 else 'NOT MET'}")
builder_ms.sort()
waiting_ms.sort()
b50 = builder_ms[len(builder_ms) // 2]
w50 = waiting_ms[len(waiting_ms) // 2] if waiting_ms else float("nan")
print(f"  Builder.build() per edit (1 page re-rendered; the output rename happens inside it): p50 {b50:.1f} ms")
print(f"  first file event -> Builder.build() called (settle window + daemon): p50 {w50:.1f} ms")

layout = os.path.join(work, "site", "_layouts", "base.njk")
builds = status()["builds"]
with open(layout, "a") as f: f.write("\n<!-- layout edit -->\n")
s = wait_idle(builds)
b = s["lastBuild"]
print(f"base.njk edit: {b['rendered']} rendered, {b['cached']} cached in {b['seconds']*1000:.0f} ms (cold build {cold*1000:.0f} ms): "
      f"{'MET' if b['seconds'] <= cold else 'NOT MET'}; errors {b['failed']}")
rss = s["memory"]["rss"] / 1048576
print(f"daemon RSS after the session: {rss:.0f} MiB")
t = time.perf_counter()
os.kill(pid, signal.SIGTERM)
while True:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        break
    if state == "Z":  # exited; bash reaps it
        break
    if time.perf_counter() - t > 30: sys.exit("daemon did not stop within 30 s")
    time.sleep(0.01)
print(f"SIGTERM -> exit in {(time.perf_counter() - t)*1000:.0f} ms")
PY
wait "$DAEMON_PID" 2>/dev/null; echo "daemon exit status $?"; DAEMON_PID=""
grep '^stop:' "$WORK/daemon.log" || true
leftovers=$(find "$WORK/out" -name '*.unjucksd-tmp' | wc -l)
echo "temporary files left in the output: $leftovers"
