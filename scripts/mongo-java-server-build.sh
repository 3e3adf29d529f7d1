#!/usr/bin/env bash
# Fetches mongo-java-server (pinned in tools/mongo-java-server/pom.xml: core, memory and H2 backends) with Maven into a
# cache folder and compiles the launcher tools/mongo-java-server/MongoJavaServer.java with the machine's JDK (>= 17).
# Prints the cache folder as the last line on stdout (jars in lib/, the launcher in classes/).
#
#   MONGO_JAVA_SERVER_CACHE  cache folder (default: $HOME/.cache/mnis-ca-gateway/mongo-java-server)
#
# Skips Maven when the jars for the pinned pom are present, and javac when the launcher source is unchanged.
# All progress goes to stderr; stdout carries only the cache path.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="$ROOT/tools/mongo-java-server"
CACHE="${MONGO_JAVA_SERVER_CACHE:-$HOME/.cache/mnis-ca-gateway/mongo-java-server}"

log() { echo "mongo-java-server-build: $*" >&2; }
die() { echo "mongo-java-server-build: ERROR: $*" >&2; exit 1; }

command -v java >/dev/null 2>&1 || die "java is not installed (need a JDK >= 17)"
command -v javac >/dev/null 2>&1 || die "javac is not installed (need a JDK >= 17, not only a JRE)"
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -nE 's/^ *java\.specification\.version = ([0-9]+).*/\1/p')"
[ -n "$java_major" ] && [ "$java_major" -ge 17 ] || die "Java ${java_major:-?} is too old: need >= 17"

mkdir -p "$CACHE"
pom_sum="$(sha256sum "$TOOL/pom.xml" | cut -c1-16)"
if [ -f "$CACHE/lib/.pom-$pom_sum" ]; then
  log "jars already fetched for this pom, skipping Maven"
else
  command -v mvn >/dev/null 2>&1 || die "mvn is not installed (needed once to fetch the jars)"
  log "fetching the jars with Maven into $CACHE/lib"
  rm -rf "$CACHE/lib.tmp"
  mvn -q -B -f "$TOOL/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$CACHE/lib.tmp" -DincludeScope=runtime >&2 \
    || die "mvn dependency:copy-dependencies failed (see above)"
  touch "$CACHE/lib.tmp/.pom-$pom_sum"
  rm -rf "$CACHE/lib" && mv "$CACHE/lib.tmp" "$CACHE/lib"
fi

src_sum="$(cat "$TOOL/MongoJavaServer.java" "$CACHE/lib/.pom-$pom_sum" | sha256sum | cut -c1-16)"
if [ -f "$CACHE/classes/.src-$src_sum" ]; then
  log "launcher already compiled, skipping javac"
else
  log "compiling the launcher"
  rm -rf "$CACHE/classes.tmp" && mkdir -p "$CACHE/classes.tmp"
  javac -nowarn -d "$CACHE/classes.tmp" -cp "$CACHE/lib/*" "$TOOL/MongoJavaServer.java" >&2 || die "javac failed"
  touch "$CACHE/classes.tmp/.src-$src_sum"
  rm -rf "$CACHE/classes" && mv "$CACHE/classes.tmp" "$CACHE/classes"
fi
echo "$CACHE"
