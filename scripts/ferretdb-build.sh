#!/usr/bin/env bash
# Builds FerretDB v1 (MongoDB wire-protocol server; SQLite backend built in) from the Go module proxy
# into a cache folder, and prints the binary path as the last line on stdout.
#
#   FERRETDB_CACHE    cache folder (default: $HOME/.cache/mnis-ca-gateway/ferretdb); binary: $FERRETDB_CACHE/bin/ferretdb
#   FERRETDB_VERSION  module version (default: v1.24.0)
#
# Skips the build when the binary exists and reports the wanted version.
# All progress goes to stderr; stdout carries only the binary path.
set -euo pipefail

VERSION="${FERRETDB_VERSION:-v1.24.0}"
CACHE="${FERRETDB_CACHE:-$HOME/.cache/mnis-ca-gateway/ferretdb}"
BIN_DIR="$CACHE/bin"
BIN="$BIN_DIR/ferretdb"
MODULE="github.com/FerretDB/FerretDB"

log() { echo "ferretdb-build: $*" >&2; }
die() { echo "ferretdb-build: ERROR: $*" >&2; exit 1; }

# A usable binary prints "version: vX.Y.Z" with --version; a binary built without
# build/version/version.txt panics at start-up instead.
binary_ok() {
  [ -x "$1" ] || return 1
  local out
  out="$("$1" --version 2>/dev/null)" || return 1
  grep -q "^version: ${VERSION}\$" <<<"$out"
}

if binary_ok "$BIN"; then
  log "already built ($VERSION), skipping build"
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is not installed (need Go >= 1.22 on PATH to build FerretDB $VERSION)"

# Never download a toolchain: the module asks for go 1.22 (toolchain go1.22.6); any local Go >= 1.22 builds it.
export GOTOOLCHAIN=local
# Pure-Go build (the SQLite driver is modernc.org/sqlite), no C compiler needed, static binary.
export CGO_ENABLED=0
# No build tags are needed: the SQLite and PostgreSQL backends are in by default
# (tags ferretdb_no_sqlite / ferretdb_no_postgresql remove them); ferretdb_debug would make a debug build.
GOFLAGS_BUILD="-mod=mod -buildvcs=false"

go_minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
if [[ "$go_minor" =~ ^[0-9]+$ ]] && [ "$go_minor" -lt 22 ]; then
  die "$(go env GOVERSION) is too old: FerretDB $VERSION needs Go >= 1.22 (GOTOOLCHAIN=local, no toolchain download)"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-build.XXXXXX")"
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

log "building $MODULE/cmd/ferretdb@$VERSION with $(go env GOVERSION) into $BIN"

# Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.0`:
#  - the module zip has no build/version/version.txt (a file FerretDB generates at release time), and a
#    binary built from the module without it panics at start-up ("Invalid build/version/version.txt file
#    content"), even for --version;
#  - on these machines `go install ...@v1.24.0` stops before building: the proxy answers 403 to the
#    module's @v/list (the deprecation check), while `go mod download` of the exact version works.
# So: go mod download + go build inside a writable copy of the module, with version.txt written.
json="$(cd "$WORK" && GOFLAGS=-mod=mod go mod download -json "$MODULE@$VERSION")" \
  || die "go mod download $MODULE@$VERSION failed"
moddir="$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0,"utf8")).Dir||"")' <<<"$json" 2>/dev/null \
  || sed -nE 's/^[[:space:]]*"Dir": "(.*)",?$/\1/p' <<<"$json")"
[ -n "$moddir" ] && [ -d "$moddir" ] || die "go mod download gave no module directory: $json"

cp -R "$moddir" "$WORK/src"
chmod -R u+w "$WORK/src"
echo "$VERSION" > "$WORK/src/build/version/version.txt"
echo "mnis-ca-gateway" > "$WORK/src/build/version/package.txt"

(cd "$WORK/src" && GOFLAGS="$GOFLAGS_BUILD" go build -trimpath -o "$WORK/ferretdb" ./cmd/ferretdb) >&2 \
  || die "go build of $MODULE@$VERSION failed (see messages above)"
binary_ok "$WORK/ferretdb" || die "the built binary does not report version $VERSION: $("$WORK/ferretdb" --version 2>&1 | tail -5)"

mkdir -p "$BIN_DIR"
cp "$WORK/ferretdb" "$BIN.tmp.$$" && mv -f "$BIN.tmp.$$" "$BIN"
log "built with go build"
echo "$BIN"
