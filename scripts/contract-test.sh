#!/usr/bin/env bash
# Contract test: the built app on its embedded defaults (CongoDB and the in-process simulators), with API_KEYS holding
# one read+admin key, on a free loopback port; schemathesis (tools/contract/requirements.txt, in a venv cached under
# .cache/contract/) runs every operation of /docs-json with --checks all and a bounded number of examples, then
# tools/contract/sse_check.py checks the two event streams, which schemathesis cannot fuzz (a 200 stream does not end),
# and tools/contract/flow_check.py checks success answers built from real data (a login, a signature, an Anhui
# operation), which a fuzzer never reaches, strictly against the document.
# Exits non-zero on any failure.
#
#   scripts/contract-test.sh            install the venv if needed, build, start the gateway, run both checks
#   scripts/contract-test.sh install    only install the venv (CI times installs apart)
#   CONTRACT_EXAMPLES   examples per operation and phase (default 30)
#   CONTRACT_SEED       schemathesis seed (default: a random one, printed, to replay a failure)
#   PYTHON              the Python 3 to build the venv with (default python3)
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=.cache/contract
VENV="$CACHE/venv"
REQUIREMENTS=tools/contract/requirements.txt
EXAMPLES="${CONTRACT_EXAMPLES:-30}"
SEED="${CONTRACT_SEED:-$((RANDOM * 32768 + RANDOM))}"
mkdir -p "$CACHE"

# The venv is rebuilt only when the pinned requirements change.
if [ ! -x "$VENV/bin/st" ] || ! cmp -s "$REQUIREMENTS" "$VENV/requirements.txt"; then
  rm -rf "$VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  cp "$REQUIREMENTS" "$VENV/requirements.txt"
fi
"$VENV/bin/st" --version
[ "${1:-}" = install ] && exit 0

started=$SECONDS

# The development build (with the embedded simulators), in its own folder so that dist/ stays what `npm run build` made.
npx tsc -p tsconfig.dev.json --outDir "$CACHE/dist" --incremental --tsBuildInfoFile "$CACHE/tsbuildinfo"
echo "built in $((SECONDS - started)) s"

PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
KEY="contract-$(node -e "console.log(require('crypto').randomBytes(16).toString('hex'))")"
BASE="http://127.0.0.1:$PORT"
LOG="$CACHE/gateway.log"

env -u MONGODB_URI -u MONGODB_URI_FILE -u NODE_ENV -u API_KEYS_FILE -u COSS_BASE_URL -u ANHUI_SCAN_BASE_URL -u TSA_URL \
  PORT="$PORT" HOST=127.0.0.1 LOG_LEVEL=warn DOCS_ENABLED=true \
  LOGIN_RATE_LIMIT_PER_MINUTE=100000 LOGIN_MAX_PENDING_PER_ADDRESS=10000 \
  API_KEYS="[{\"id\":\"contract\",\"key\":\"$KEY\",\"scopes\":[\"read\",\"admin\"]}]" \
  node "$CACHE/dist/main.js" >"$LOG" 2>&1 &
GATEWAY_PID=$!
stop_gateway() {
  if kill -0 "$GATEWAY_PID" 2>/dev/null; then scripts/server-stop.sh "$GATEWAY_PID" >/dev/null 2>&1 || true; fi
}
trap stop_gateway EXIT

node -e "
  const deadline = Date.now() + 60000;
  (async function wait() {
    try { if ((await fetch('$BASE/health')).ok) return; } catch {}
    if (Date.now() > deadline) { console.error('the gateway did not answer /health within 60 s'); process.exit(1); }
    setTimeout(wait, 200);
  })();
" || { cat "$LOG"; exit 1; }
echo "gateway on $BASE (log: $LOG)"

status=0
started=$SECONDS
# Event streams are left to sse_check.py: a stream that opens stays open, so fuzzing it only waits for timeouts.
"$VENV/bin/st" --config-file tools/contract/schemathesis.toml run "$BASE/docs-json" \
  --checks all \
  --header "Authorization: Bearer $KEY" \
  --max-examples "$EXAMPLES" \
  --workers 2 \
  --seed "$SEED" \
  --request-timeout 10 \
  --exclude-path-regex '/events$' \
  --continue-on-failure \
  --no-color || status=$?
echo "schemathesis: $((SECONDS - started)) s"

"$VENV/bin/python" tools/contract/sse_check.py "$BASE" "$KEY" || status=$?
"$VENV/bin/python" tools/contract/flow_check.py "$BASE" "$KEY" || status=$?

if [ "$status" -ne 0 ]; then
  echo "---- gateway log (last 50 lines) ----"
  tail -n 50 "$LOG"
fi
exit "$status"
