#!/usr/bin/env bash
# Starts mongo-java-server (scripts/mongo-java-server-build.sh) in the background on 127.0.0.1 and a free port, with
# its log (and, for the H2 backend, its data file) in a fresh temporary folder, and waits until it answers a ping.
#
# On success prints, for `eval "$(scripts/mongo-java-server-start.sh)"`:
#   MONGODB_URI=mongodb://127.0.0.1:PORT/
#   MONGO_JAVA_SERVER_PID=...       stop with: scripts/server-stop.sh "$MONGO_JAVA_SERVER_PID" (or kill it)
#   MONGO_JAVA_SERVER_DIR=...       remove afterwards (log: $MONGO_JAVA_SERVER_DIR/mongo-java-server.log,
#                                   H2 data: $MONGO_JAVA_SERVER_DIR/data.mv)
#   MONGO_JAVA_SERVER_PORT=...
#   MONGO_JAVA_SERVER_START_MS=...  process launch to first successful ping, in ms
# On failure exits non-zero and prints the tail of the log on stderr (and stops the process).
#
#   MONGO_JAVA_SERVER_BACKEND    memory (default) | h2 (data in a file, kept across a restart)
#   MONGO_JAVA_SERVER_DIR        reuse this folder (a restart: same H2 file) instead of a new one
#   MONGO_JAVA_SERVER_PORT       listen on this port (a restart: same address) instead of a free one
#   MONGO_JAVA_SERVER_JAVA_OPTS  JVM options (default: -Xmx1g -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError)
#   MONGO_JAVA_SERVER_TIMEOUT_S  seconds to wait for the first ping (default: 30)
#   MONGO_JAVA_SERVER_CACHE      where the build script put the jars and the launcher
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MONGO_JAVA_SERVER_CACHE:-$HOME/.cache/mnis-ca-gateway/mongo-java-server}"
BACKEND="${MONGO_JAVA_SERVER_BACKEND:-memory}"
TIMEOUT_S="${MONGO_JAVA_SERVER_TIMEOUT_S:-30}"
JAVA_OPTS="${MONGO_JAVA_SERVER_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError}"
PORT="${MONGO_JAVA_SERVER_PORT:-0}"

die() { echo "mongo-java-server-start: ERROR: $*" >&2; exit 1; }

[ -d "$CACHE/lib" ] && [ -f "$CACHE/classes/MongoJavaServer.class" ] \
  || die "mongo-java-server is not built in $CACHE (run scripts/mongo-java-server-build.sh first)"
command -v java >/dev/null 2>&1 || die "java is not installed"
( cd "$ROOT" && node -e 'require.resolve("mongodb")' ) >/dev/null 2>&1 \
  || die "the 'mongodb' driver is not in $ROOT/node_modules (run npm ci)"
case "$BACKEND" in
  memory) backend_args=() ;;
  h2) backend_args=() ;; # set below, once the folder is known
  *) die "MONGO_JAVA_SERVER_BACKEND must be memory or h2, not '$BACKEND'" ;;
esac

if [ -n "${MONGO_JAVA_SERVER_DIR:-}" ]; then
  DIR="$MONGO_JAVA_SERVER_DIR"
  mkdir -p "$DIR"
else
  DIR="$(mktemp -d "${TMPDIR:-/tmp}/mongo-java-server.XXXXXX")"
fi
[ "$BACKEND" = h2 ] && backend_args=(--h2-file "$DIR/data.mv")
LOG="$DIR/mongo-java-server.log"
: >"$LOG"

fail() { # msg pid
  [ -n "${2:-}" ] && kill "$2" 2>/dev/null && sleep 0.2
  echo "mongo-java-server-start: ERROR: $1" >&2
  echo "---- last lines of $LOG ----" >&2
  tail -n 30 "$LOG" >&2 || true
  echo "---- (folder kept: $DIR) ----" >&2
  exit 1
}

START_MS="$(date +%s%3N)"
# Port 0: the server binds a free port itself (no race with another process) and prints it.
# stdin/stdout/stderr detached from the caller, so that `eval "$(...)"` does not wait for the server.
# shellcheck disable=SC2086
setsid java $JAVA_OPTS -cp "$CACHE/classes:$CACHE/lib/*" MongoJavaServer \
  --host 127.0.0.1 --port "$PORT" "${backend_args[@]}" </dev/null >>"$LOG" 2>&1 &
PID=$!

deadline=$(( START_MS + TIMEOUT_S * 1000 ))
BOUND=""
while [ -z "$BOUND" ]; do
  kill -0 "$PID" 2>/dev/null || fail "mongo-java-server exited during start-up" ""
  [ "$(date +%s%3N)" -lt "$deadline" ] || fail "mongo-java-server did not bind within ${TIMEOUT_S} s" "$PID"
  BOUND="$(sed -nE 's/^listening 127\.0\.0\.1:([0-9]+).*/\1/p' "$LOG" | tail -n 1)"
  [ -n "$BOUND" ] || sleep 0.05
done

set +e
ELAPSED="$(cd "$ROOT" && node scripts/wait-for-mongo.js "$BOUND" "$PID" "$START_MS" "$TIMEOUT_S" mongo-java-server-start)"
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "mongo-java-server did not answer a ping" "$PID"
printf 'MONGODB_URI=mongodb://127.0.0.1:%s/\n' "$BOUND"
printf 'MONGO_JAVA_SERVER_PID=%s\n' "$PID"
printf 'MONGO_JAVA_SERVER_DIR=%q\n' "$DIR"
printf 'MONGO_JAVA_SERVER_PORT=%s\n' "$BOUND"
printf 'MONGO_JAVA_SERVER_START_MS=%s\n' "$ELAPSED"
