#!/usr/bin/env bash
# Runs a command with a throw-away redis-server on a free loopback port;
# the port is passed to tests as UNJUCKSD_TEST_REDIS=127.0.0.1:PORT.
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/daemon-lib.sh"
port=$(free_port)
dir=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize no >"$dir/redis.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.05
done
export UNJUCKSD_TEST_REDIS="127.0.0.1:$port"
export UNJUCKSD_TEST_REDIS_SERVER="$(command -v redis-server)"
"$@"
