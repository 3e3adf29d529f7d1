#!/usr/bin/env bash
# The backup service: mongodump of the gateway's database every BACKUP_INTERVAL_SECONDS into BACKUP_DIR, as
# <db>-<UTC time>.archive.gz, keeping the newest BACKUP_KEEP. A dump is written under a dot-name and renamed only
# once complete, so a failed or interrupted dump never counts as a backup nor pushes a good one out.
#
#   BACKUP_URI_FILE          file holding the connection URI of a user that may read the database (required)
#   BACKUP_DB                database to dump (default mnis)
#   BACKUP_DIR               where archives go (default /backups, the volume mongo-backups)
#   BACKUP_INTERVAL_SECONDS  time between dumps (default 86400)
#   BACKUP_KEEP              archives kept (default 14)
#   BACKUP_ONCE=1            one dump, then exit (docker compose run --rm -e BACKUP_ONCE=1 backup)
set -uo pipefail

db="${BACKUP_DB:-mnis}"
dir="${BACKUP_DIR:-/backups}"
interval="${BACKUP_INTERVAL_SECONDS:-86400}"
keep="${BACKUP_KEEP:-14}"
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || { echo "backup: BACKUP_KEEP must be a positive whole number" >&2; exit 2; }
[[ "$interval" =~ ^[1-9][0-9]*$ ]] || { echo "backup: BACKUP_INTERVAL_SECONDS must be a positive whole number" >&2; exit 2; }
[ -r "${BACKUP_URI_FILE:-}" ] || { echo "backup: BACKUP_URI_FILE must name a readable file" >&2; exit 2; }

# The URI holds a password: hand it to mongodump in a private config file, never on its command line.
config="$(mktemp)"
trap 'rm -f "$config"' EXIT
trap 'exit 143' TERM INT
chmod 0600 "$config"
uri="$(<"$BACKUP_URI_FILE")"
printf 'uri: "%s"\n' "${uri%$'\r'}" >"$config"

dump_once() {
  local stamp partial final
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  partial="$dir/.$db-$stamp.archive.gz.partial"
  final="$dir/$db-$stamp.archive.gz"
  if mongodump --config="$config" --db="$db" --gzip --archive="$partial" --quiet; then
    mv "$partial" "$final"
    echo "backup: wrote $final ($(stat -c %s "$final") bytes)"
  else
    rm -f "$partial"
    echo "backup: mongodump failed; the previous archives are kept" >&2
    return 1
  fi
  # Names sort by time: drop all but the newest $keep.
  find "$dir" -maxdepth 1 -name "$db-*.archive.gz" -printf '%f\n' | sort -r | tail -n "+$((keep + 1))" |
    while read -r old; do rm -f "$dir/$old" && echo "backup: removed $old (BACKUP_KEEP=$keep)"; done
}

mkdir -p "$dir"
if [ "${BACKUP_ONCE:-}" = 1 ]; then
  dump_once
  exit
fi
while true; do
  dump_once
  # In the background, so that SIGTERM (docker compose stop) ends the wait at once and the EXIT trap runs.
  sleep "$interval" &
  wait $!
done
