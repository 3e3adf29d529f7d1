#!/usr/bin/env bash
# Runs before the mongo image's own entrypoint. Compose mounts file secrets with the host's owner and mode, while
# mongod insists that its key file be readable by it alone (and must read its TLS key as user mongodb): copy them.
set -euo pipefail
install -d -m 0700 -o mongodb -g mongodb /etc/mongo-secrets
for name in mongo_keyfile mongo_tls_pem mongo_ca_pem; do
  if [ -f "/run/secrets/$name" ]; then
    install -m 0400 -o mongodb -g mongodb "/run/secrets/$name" "/etc/mongo-secrets/$name"
  fi
done
exec docker-entrypoint.sh "$@"
