#!/usr/bin/env bash
# Starts a FerretDB v1 server (SQLite backend) in the background on 127.0.0.1 and a free port,
# with its data, state and log in a fresh temporary folder, and waits until it answers a MongoDB ping.
#
# On success prints, for `eval "$(scripts/ferretdb-start.sh)"`:
#   MONGODB_URI=mongodb://127.0.0.1:PORT/
#   FERRETDB_PID=...        stop with: kill "$FERRETDB_PID"
#   FERRETDB_DIR=...        remove afterwards: rm -rf "$FERRETDB_DIR" (log: $FERRETDB_DIR/ferretdb.log)
#   FERRETDB_PORT=...
#   FERRETDB_START_MS=...   process launch to first successful ping, in ms
# On failure exits non-zero and prints the tail of the log on stderr (and stops the process).
#
#   FERRETDB_BIN        binary (default: ${FERRETDB_CACHE:-$HOME/.cache/mnis-ca-gateway/ferretdb}/bin/ferretdb,
#                       as built by scripts/ferretdb-build.sh)
#   FERRETDB_LOG_LEVEL  debug|info|warn|error (default: info)
#   FERRETDB_TIMEOUT_S  seconds to wait for the first ping (default: 30)
#   FERRETDB_DIR        reuse this folder (a restart: same SQLite files) instead of a new one
#   FERRETDB_PORT       listen on this port (a restart: same address) instead of a free one
#   FERRETDB_SQLITE_QUERY  query string appended to --sqlite-url, e.g. '?_pragma=synchronous(off)'
#                       for faster, non-durable test data (default: none, FerretDB's defaults: WAL, busy_timeout 10 s)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${FERRETDB_BIN:-${FERRETDB_CACHE:-$HOME/.cache/mnis-ca-gateway/ferretdb}/bin/ferretdb}"
LOG_LEVEL="${FERRETDB_LOG_LEVEL:-info}"
TIMEOUT_S="${FERRETDB_TIMEOUT_S:-30}"
SQLITE_QUERY="${FERRETDB_SQLITE_QUERY:-}"

die() { echo "ferretdb-start: ERROR: $*" >&2; exit 1; }

[ -x "$BIN" ] || die "no FerretDB binary at $BIN (run scripts/ferretdb-build.sh first)"
command -v node >/dev/null 2>&1 || die "node is not installed"
( cd "$ROOT" && node -e 'require.resolve("mongodb")' ) >/dev/null 2>&1 \
  || die "the 'mongodb' driver is not in $ROOT/node_modules (run npm ci)"

if [ -n "${FERRETDB_DIR:-}" ]; then DIR="$FERRETDB_DIR"; else DIR="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb.XXXXXX")"; fi
mkdir -p "$DIR/data"
LOG="$DIR/ferretdb.log"

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close();});'
}

wait_ping() { # port pid start_ms
  ( cd "$ROOT" && node scripts/wait-for-mongo.js "$@" "$TIMEOUT_S" ferretdb-start )
}

fail() { # msg pid
  [ -n "${2:-}" ] && kill "$2" 2>/dev/null && sleep 0.2
  echo "ferretdb-start: ERROR: $1" >&2
  echo "---- last lines of $LOG ----" >&2
  tail -n 30 "$LOG" >&2 || true
  echo "---- (folder kept: $DIR) ----" >&2
  exit 1
}

for attempt in 1 2 3; do
  PORT="${FERRETDB_PORT:-$(free_port)}"
  [[ "$PORT" =~ ^[0-9]+$ ]] || die "could not find a free port"
  START_MS="$(date +%s%3N)"
  # stdin/stdout/stderr detached from the caller, so that `eval "$(...)"` does not wait for the server.
  DO_NOT_TRACK=1 setsid "$BIN" \
    --handler=sqlite \
    --sqlite-url="file:$DIR/data/$SQLITE_QUERY" \
    --listen-addr="127.0.0.1:$PORT" \
    --state-dir="$DIR" \
    --debug-addr=- \
    --telemetry=disable \
    --log-level="$LOG_LEVEL" \
    </dev/null >>"$LOG" 2>&1 &
  PID=$!
  set +e
  ELAPSED="$(wait_ping "$PORT" "$PID" "$START_MS")"
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    printf 'MONGODB_URI=mongodb://127.0.0.1:%s/\n' "$PORT"
    printf 'FERRETDB_PID=%s\n' "$PID"
    printf 'FERRETDB_DIR=%q\n' "$DIR"
    printf 'FERRETDB_PORT=%s\n' "$PORT"
    printf 'FERRETDB_START_MS=%s\n' "$ELAPSED"
    exit 0
  fi
  if [ "$rc" -eq 2 ] && grep -q "address already in use" "$LOG" && [ -z "${FERRETDB_PORT:-}" ] && [ "$attempt" -lt 3 ]; then
    echo "ferretdb-start: port $PORT was taken meanwhile, retrying" >&2
    continue
  fi
  if [ "$rc" -eq 2 ]; then fail "FerretDB exited during start-up" ""; fi
  fail "FerretDB did not answer a ping within ${TIMEOUT_S} s" "$PID"
done
fail "FerretDB could not start" ""
