#!/usr/bin/env bash
# Starts an engine, writes (scripts/restart-check.js write), stops it cleanly, starts it again on the same folder and
# port, and verifies data, the unique index and atomic updates (scripts/restart-check.js verify).
#   scripts/restart-check.sh mongo-java-server   # H2 backend
#   scripts/restart-check.sh ferretdb            # SQLite backend
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

engine="${1:?usage: restart-check.sh mongo-java-server|ferretdb}"
case "$engine" in
  mongo-java-server) start=scripts/mongo-java-server-start.sh; prefix=MONGO_JAVA_SERVER; export MONGO_JAVA_SERVER_BACKEND=h2 ;;
  ferretdb) start=scripts/ferretdb-start.sh; prefix=FERRETDB ;;
  *) echo "restart-check: unknown engine '$engine'" >&2; exit 2 ;;
esac
pid_var="${prefix}_PID"; dir_var="${prefix}_DIR"; port_var="${prefix}_PORT"; ms_var="${prefix}_START_MS"

eval "$("$start")"
trap 'scripts/server-stop.sh "${!pid_var}" "${!dir_var}" >/dev/null' EXIT
echo "started in ${!ms_var} ms at $MONGODB_URI"
node scripts/restart-check.js "$MONGODB_URI" write
eval "$(scripts/server-stop.sh "${!pid_var}")"
echo "stopped in ${STOP_MS} ms"
export "${dir_var}=${!dir_var}" "${port_var}=${!port_var}"
eval "$("$start")"
echo "restarted in ${!ms_var} ms at $MONGODB_URI (same folder and port)"
node scripts/restart-check.js "$MONGODB_URI" verify
