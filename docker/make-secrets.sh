#!/usr/bin/env bash
# Makes the secret files that docker-compose.yml mounts, in docker/secrets/ (or $1), and never overwrites one.
#
#   docker/make-secrets.sh            MongoDB passwords, the replica-set key file and the three connection URIs
#   docker/make-secrets.sh --tls      also a private CA and a certificate for the host names mongo and localhost
#                                     (for a trial; in production use the hospital's PKI, same file names)
#   docker/make-secrets.sh --trial    also the vendor secrets that the compose profile `simulators` accepts
#                                     (LOCAL TRIAL ONLY: never with a real vendor)
#
# The vendor secrets come from the vendors: write them yourself, one line each, into coss_app_secret and
# anhui_password. Files are mode 0644 inside a 0700 folder: compose bind-mounts each file into only the containers
# that list it, where non-root users (mongodb, node) must read it.
set -euo pipefail

tls=0
trial=0
dir="$(dirname "$0")/secrets"
for arg in "$@"; do
  case "$arg" in
    --tls) tls=1 ;;
    --trial) trial=1 ;;
    -*) echo "usage: $0 [--tls] [--trial] [folder]" >&2; exit 2 ;;
    *) dir="$arg" ;;
  esac
done
mkdir -p "$dir"
chmod 0700 "$dir"

made=()
# write NAME CONTENT: creates the file unless it exists.
write() {
  if [ -e "$dir/$1" ]; then return; fi
  printf '%s\n' "$2" >"$dir/$1"
  chmod 0644 "$dir/$1"
  made+=("$1")
}
# Hex passwords need no escaping in a URI.
password() { [ -e "$dir/$1" ] && cat "$dir/$1" || openssl rand -hex 24; }

write mongo_root_password "$(password mongo_root_password)"
write mongo_app_password "$(password mongo_app_password)"
write mongo_backup_password "$(password mongo_backup_password)"
write mongo_keyfile "$(openssl rand -base64 756)"
write audit_hmac_key "$(openssl rand -hex 32)"

app="mnis_app:$(cat "$dir/mongo_app_password")"
backup="mnis_backup:$(cat "$dir/mongo_backup_password")"
base="@mongo:27017/mnis?replicaSet=rs0&authSource=mnis"
tls_options="&tls=true&tlsCAFile=/run/secrets/mongo_ca_pem"
write mongodb_uri "mongodb://$app$base"
write mongodb_uri_tls "mongodb://$app$base$tls_options"
write mongodb_backup_uri "mongodb://$backup$base"
write mongodb_backup_uri_tls "mongodb://$backup$base$tls_options"

if [ "$tls" = 1 ] && [ ! -e "$dir/mongo_tls_pem" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  openssl req -x509 -newkey rsa:3072 -nodes -days 825 -subj "/CN=mnis-ca-gateway trial MongoDB CA" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
  openssl req -newkey rsa:3072 -nodes -subj "/CN=mongo" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:mongo,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >"$work/ext"
  openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 825 \
    -extfile "$work/ext" -out "$work/server.pem" 2>/dev/null
  write mongo_ca_pem "$(cat "$work/ca.pem")"
  write mongo_tls_pem "$(cat "$work/server.pem" "$work/server.key")"
fi

# API keys: the gateway gets only their SHA-256 digests (api_keys); the secrets themselves stay in this folder for the
# operator to hand to the MNIS document services (read) and the administrators (admin), and are never mounted.
key() { [ -e "$dir/$1" ] && cat "$dir/$1" || openssl rand -base64 33 | tr '+/' '-_'; }
write api_key_read "$(key api_key_read)"
write api_key_admin "$(key api_key_admin)"
sha() { printf '%s' "$(cat "$dir/$1")" | openssl dgst -sha256 -r | cut -d' ' -f1; }
write api_keys "[{\"id\":\"mnis-read\",\"sha256\":\"$(sha api_key_read)\",\"scopes\":[\"read\"]},{\"id\":\"admin\",\"sha256\":\"$(sha api_key_admin)\",\"scopes\":[\"admin\"]}]"

# The gateway's HTTPS certificate: a self-signed one for a trial; in production write the hospital's certificate
# (full chain) and key into the same two files before the first start.
if [ ! -e "$dir/gateway_tls_cert" ]; then
  gw="$(mktemp -d)"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 -subj "/CN=mnis-ca-gateway trial" \
    -addext "subjectAltName=DNS:gateway,DNS:localhost,IP:127.0.0.1" -keyout "$gw/key.pem" -out "$gw/cert.pem" 2>/dev/null
  write gateway_tls_cert "$(cat "$gw/cert.pem")"
  write gateway_tls_key "$(cat "$gw/key.pem")"
  rm -rf "$gw"
fi

if [ "$trial" = 1 ]; then
  write coss_app_secret "trial-coss-app-secret"
  write anhui_password "trial-password"
fi

echo "secrets in $dir: ${made[*]:-none made, all existed}"
for vendor in coss_app_secret anhui_password; do
  [ -s "$dir/$vendor" ] || echo "still to write yourself (from the vendor): $dir/$vendor"
done
