# Sourced by the benchmark scripts that run `unjucksd watch`: a free
# loopback port, a work directory removed on exit, and a daemon that is
# stopped with SIGTERM on exit.

# Prints a free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# daemon_setup NAME: sets WORK (a fresh temp dir), PORT and the exit trap.
# On tmpfs when there is one, like the other benchmarks: on the shared
# virtual disk, writing and replacing 8,000 files makes a build's time
# depend several-fold on the disk's write-back state (cold builds of
# 0.46-3.4 s in one hour).
daemon_setup() {
  WORK=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp)/unjucksd-$1.XXXXXX")
  PORT=$(free_port)
  DAEMON_PID=""
  trap daemon_cleanup EXIT
}

daemon_cleanup() {
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" || true; fi
  rm -rf "$WORK"
}

# Waits (up to 60 s) until the daemon on PORT answers /ready with 200.
wait_ready() {
  for _ in $(seq 1 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/ready")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}
