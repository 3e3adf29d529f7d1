#!/usr/bin/env bash
# Stops a database server started by scripts/ferretdb-start.sh or scripts/mongo-java-server-start.sh: SIGTERM (clean
# shutdown: files committed and closed), waits for the process to exit, SIGKILL after the deadline.
# Prints STOP_MS=<ms from signal to exit>. With a folder as second argument, removes it afterwards.
#
#   scripts/server-stop.sh <pid> [folder-to-remove]
#   SERVER_STOP_TIMEOUT_S  seconds to wait before SIGKILL (default: 15)
set -euo pipefail

PID="${1:?usage: server-stop.sh <pid> [folder-to-remove]}"
DIR="${2:-}"
TIMEOUT_S="${SERVER_STOP_TIMEOUT_S:-15}"

started="$(date +%s%3N)"
if kill -0 "$PID" 2>/dev/null; then
  kill -CONT "$PID" 2>/dev/null || true # a frozen (SIGSTOPped) process cannot handle SIGTERM
  kill -TERM "$PID" 2>/dev/null || true
  deadline=$(( started + TIMEOUT_S * 1000 ))
  while kill -0 "$PID" 2>/dev/null && [ "$(date +%s%3N)" -lt "$deadline" ]; do sleep 0.05; done
  if kill -0 "$PID" 2>/dev/null; then
    echo "server-stop: process $PID still running after ${TIMEOUT_S} s, sending SIGKILL" >&2
    kill -KILL "$PID" 2>/dev/null || true
    while kill -0 "$PID" 2>/dev/null; do sleep 0.05; done
  fi
fi
echo "STOP_MS=$(( $(date +%s%3N) - started ))"
if [ -n "$DIR" ]; then rm -rf "$DIR"; fi
