#!/usr/bin/env bash
# Fuzzes archon's REST API with schemathesis against a running portal
# (ARCHON_FUZZ_URL, default http://localhost:7007), with a fixed seed and a
# bounded number of examples so that two runs send the same requests.
#
# Safe on a shared cluster: every GET operation is fuzzed, but of the
# mutating operations only those scripts/fuzz/hooks.py can confine to the
# `/fuzz` configuration path or znode prefix (plus read-only POSTs); topics,
# connectors, consumer groups, apps and deployments are never touched.
# Exits non-zero when any response is a 5xx (or schemathesis records nothing).
#   ARCHON_FUZZ_EXAMPLES=20 ARCHON_FUZZ_SEED=9 scripts/fuzz.sh
#
# `scripts/fuzz.sh --private` fuzzes every operation, mutations of topics,
# groups, messages, connectors, deploys and Marathon included, against a
# private archon (scripts/fuzz/privateBackend.ts) whose ZooKeeper, Kafka,
# Connect and Marathon are started for the run on free ports and removed
# after it; the shared cluster is never contacted. Only event streams are
# left out. Same seed and budget as the shared mode.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRIVATE=0
[ "${1:-}" = "--private" ] && PRIVATE=1
URL="${ARCHON_FUZZ_URL:-http://localhost:7007}"
SEED="${ARCHON_FUZZ_SEED:-9}"
EXAMPLES="${ARCHON_FUZZ_EXAMPLES:-25}"
VENV="$ROOT/.tools/fuzz-venv"
REPORT_DIR="$ROOT/test-artifacts/fuzz"
[ "$PRIVATE" = 1 ] && REPORT_DIR="$ROOT/test-artifacts/fuzz-private"
TOKEN_FILE="${ARCHON_TOKEN_FILE:-$ROOT/.archon/api-token}"
STARTED_AT=$SECONDS
ENSEMBLE="${ARCHON_FUZZ_ENSEMBLE:-local}"
CONFIG_ROOT="${ARCHON_FUZZ_CONFIG_ROOT:-/pheidippides}"  # the ensemble's archon.zookeeper root

if [ ! -x "$VENV/bin/st" ]; then
  echo "== installing schemathesis into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet 'schemathesis>=4,<5'
fi

SPEC="$(mktemp)"
BACKEND_PGID=""
cleanup() {
  rm -f "$SPEC"
  # The private backend stops its cluster, Marathon and temporary folder when
  # asked through its stop file; its process group is killed if it does not.
  if [ -n "$BACKEND_PGID" ]; then
    touch "$READY.stop"
    for _ in $(seq 1 120); do kill -0 -- "-$BACKEND_PGID" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$BACKEND_PGID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
AUTH=()
if [ "$PRIVATE" = 1 ]; then
  source "$ROOT/scripts/lib/toolchain.sh" && archon_ensure_node >/dev/null
  mkdir -p "$REPORT_DIR"
  READY="$REPORT_DIR/backend.json"; rm -f "$READY"
  echo "== starting a private archon with its own ZooKeeper, Kafka, Connect and Marathon (log: $REPORT_DIR/backend.log)"
  (cd "$ROOT" && setsid node --require @backstage/cli-node/config/nodeTransform.cjs scripts/fuzz/privateBackend.ts "$READY" \
    >"$REPORT_DIR/backend.log" 2>&1 & echo $! >"$REPORT_DIR/backend.pid")
  BACKEND_PGID="$(cat "$REPORT_DIR/backend.pid")"
  for _ in $(seq 1 900); do
    [ -s "$READY" ] && break
    kill -0 "$BACKEND_PGID" 2>/dev/null || { tail -20 "$REPORT_DIR/backend.log" >&2; echo "fuzz: the private backend did not start" >&2; exit 2; }
    sleep 1
  done
  [ -s "$READY" ] || { echo "fuzz: the private backend did not answer within 15 minutes" >&2; exit 2; }
  URL="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$READY")"
  export ARCHON_FUZZ_PRIVATE=1
  ARCHON_FUZZ_CONNECT_DIR="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["connectDir"])' "$READY")"
  export ARCHON_FUZZ_CONNECT_DIR
else
  [ -f "$TOKEN_FILE" ] || { echo "fuzz: no API token at $TOKEN_FILE (start the portal with scripts/start.sh)" >&2; exit 2; }
  AUTH=(-H "Authorization: Bearer $(cat "$TOKEN_FILE")")
fi
SPEC_URL="$URL/api/archon/openapi.json"
curl -fsS "${AUTH[@]}" "$SPEC_URL" -o "$SPEC" \
  || { echo "fuzz: cannot read $SPEC_URL" >&2; exit 2; }

# Every mutating operation the hooks cannot confine is excluded by its
# operationId, so an operation added to the spec later is excluded by default.
mapfile -t EXCLUDES < <(PYTHONPATH="$ROOT/scripts/fuzz" "$VENV/bin/python" - "$SPEC" <<'PY'
import json, sys
from hooks import CONFINED_OPERATIONS, PRIVATE, READ_ONLY_POSTS
spec = json.load(open(sys.argv[1]))
def only_streams(op):
    # An event stream for a watched resource stays open (with keep-alives, so
    # no read timeout ends it) and would stall the run; it is not fuzzed.
    types = {t for code, r in op.get("responses", {}).items() if code.startswith("2")
             for t in r.get("content", {})}
    return types == {"text/event-stream"}
for ops in spec["paths"].values():
    for method, op in ops.items():
        if not isinstance(op, dict) or method == "parameters":
            continue
        op_id = op.get("operationId")
        if only_streams(op):
            print("--exclude-operation-id"); print(op_id)
            continue
        if method == "get" or PRIVATE:
            continue
        if op_id not in CONFINED_OPERATIONS and op_id not in READ_ONLY_POSTS:
            print("--exclude-operation-id"); print(op_id)
PY
)

mkdir -p "$REPORT_DIR"
if [ "$PRIVATE" = 1 ]; then
  echo "== fuzzing the private archon at $URL (seed $SEED, $EXAMPLES examples per operation; every operation but event streams)"
else
  echo "== fuzzing $URL (seed $SEED, $EXAMPLES examples per operation; writes only under /fuzz)"
fi
status=0
# Run from the report folder: schemathesis keeps a .schemathesis cache in its cwd.
(cd "$REPORT_DIR" && SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$ROOT/scripts/fuzz" "$VENV/bin/st" run "$SPEC" \
  --url "$URL" \
  "${AUTH[@]}" \
  "${EXCLUDES[@]}" \
  --checks not_a_server_error \
  --seed "$SEED" --max-examples "$EXAMPLES" \
  --phases examples,coverage,fuzzing \
  --workers 2 --request-timeout 15 --no-color \
  --suppress-health-check all \
  --report ndjson --report-ndjson-path "$REPORT_DIR/events.ndjson") \
  || st_status=$?
# schemathesis also exits non-zero for its own internal errors (it has
# crashed generating data for a few operations); only a 5xx, counted below,
# fails the run, and a run that recorded nothing.
if [ ! -s "$REPORT_DIR/events.ndjson" ]; then
  echo "fuzz: schemathesis recorded no events (exit ${st_status:-0})" >&2
  exit 2
fi
[ "${st_status:-0}" = 0 ] || echo "fuzz: schemathesis exited ${st_status}; see its output above for errors other than 5xx answers"

# Count 5xx answers from the recorded events, independently of how
# schemathesis groups failures.
"$VENV/bin/python" - "$REPORT_DIR/events.ndjson" "$((SECONDS - STARTED_AT))" <<'PY' || status=1
import json, sys, collections
server_errors = collections.Counter()
requests = 0
operations = set()
for line in open(sys.argv[1]):
    event = json.loads(line)
    recorder = (event.get("ScenarioFinished") or {}).get("recorder", {})
    for step in recorder.get("interactions", {}).values():
        response = step.get("response")
        if response is None:
            continue
        requests += 1
        operations.add(recorder.get("label"))
        if response["status_code"] >= 500:
            server_errors[f'{step["request"]["method"]} {step["request"]["uri"].split("?")[0]} -> {response["status_code"]}'] += 1
print(f"fuzz summary: {len(operations)} operations, {requests} requests, "
      f"{sum(server_errors.values())} answered 5xx, {sys.argv[2]} s")
for what, count in server_errors.most_common(30):
    print(f"  {count:4d}  {what}")
sys.exit(1 if server_errors else 0)
PY
# The private backend takes its whole cluster with it (see cleanup).
[ "$PRIVATE" = 1 ] && exit $status
# Remove what the fuzzer may have written: the znode /fuzz and the
# configuration level /fuzz (<config root>/fuzz). A recursive delete wants the
# znode count, which the first (refused) attempt reports.
"$VENV/bin/python" - "$URL/api/archon/zookeeper/$ENSEMBLE/znodes" "$(cat "$TOKEN_FILE")" "fuzz" "${CONFIG_ROOT#/}/fuzz" <<'PY' || echo "fuzz: cleanup of /fuzz failed (see above)" >&2
import re, sys, urllib.error, urllib.parse, urllib.request
base, token, *paths = sys.argv[1:]
def delete(path, count=None):
    query = "expectedVersion=-1&recursive=true" + (f"&expectedCount={count}" if count else "")
    url = f"{base}/{urllib.parse.quote(path, safe='')}?{query}"
    request = urllib.request.Request(url, method="DELETE", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
for path in paths:
    status, body = delete(path)
    if status == 400 and (count := re.search(r"expectedCount=(\d+)", body)):
        status, body = delete(path, count.group(1))
    if status not in (200, 404):
        sys.exit(f"fuzz: could not delete /{path}: {status} {body[:200]}")
print("fuzz: removed /fuzz and its configuration level")
PY
exit $status
