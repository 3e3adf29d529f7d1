#!/usr/bin/env bash
# Prints the path of the Compose Specification JSON schema that Docker Compose v2 itself validates with: the file
# schema/compose-spec.json of the Go module github.com/compose-spec/compose-go/v2 (the library behind
# `docker compose`), fetched by `go mod download` (checksum-verified) into the Go module cache.
#
#   COMPOSE_GO_VERSION  module version (default below)
#
# Exits non-zero with the reason on stderr when Go is missing or the module cannot be had.
set -euo pipefail
VERSION="${COMPOSE_GO_VERSION:-v2.16.2}"
MODULE="github.com/compose-spec/compose-go/v2"

command -v go >/dev/null 2>&1 || { echo "Go is not installed: cannot fetch $MODULE@$VERSION" >&2; exit 1; }
# Outside any module, and never a toolchain download.
cd "$(mktemp -d)"
trap 'rm -rf "$PWD"' EXIT
if ! info="$(GOTOOLCHAIN=local GOFLAGS= go mod download -json "$MODULE@$VERSION" 2>&1)"; then
  echo "go mod download $MODULE@$VERSION failed: $info" >&2
  exit 1
fi
dir="$(node -e 'const i = JSON.parse(require("fs").readFileSync(0, "utf8")); if (i.Error) { console.error(i.Error); process.exit(1); } console.log(i.Dir)' <<<"$info")"
schema="$dir/schema/compose-spec.json"
[ -f "$schema" ] || { echo "$MODULE@$VERSION has no schema/compose-spec.json" >&2; exit 1; }
echo "$schema"
