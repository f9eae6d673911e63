#!/usr/bin/env bash
# Fuzzes archon's REST API with schemathesis against a running portal
# (ARCHON_FUZZ_URL, default http://localhost:7007), with a fixed seed and a
# bounded number of examples so that two runs send the same requests.
#
# Safe on a shared cluster: every GET operation is fuzzed, but of the
# mutating operations only those scripts/fuzz/hooks.py can confine to the
# `/fuzz` configuration path or znode prefix (plus read-only POSTs); topics,
# connectors, consumer groups, apps and deployments are never touched.
# Exits non-zero when any response is a 5xx (or schemathesis fails to run).
#   ARCHON_FUZZ_EXAMPLES=20 ARCHON_FUZZ_SEED=9 scripts/fuzz.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
URL="${ARCHON_FUZZ_URL:-http://localhost:7007}"
SEED="${ARCHON_FUZZ_SEED:-9}"
EXAMPLES="${ARCHON_FUZZ_EXAMPLES:-25}"
VENV="$ROOT/.tools/fuzz-venv"
REPORT_DIR="$ROOT/test-artifacts/fuzz"
TOKEN_FILE="${ARCHON_TOKEN_FILE:-$ROOT/.archon/api-token}"
ENSEMBLE="${ARCHON_FUZZ_ENSEMBLE:-local}"
CONFIG_ROOT="${ARCHON_FUZZ_CONFIG_ROOT:-/pheidippides}"  # the ensemble's archon.zookeeper root

if [ ! -x "$VENV/bin/st" ]; then
  echo "== installing schemathesis into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet 'schemathesis>=4,<5'
fi

[ -f "$TOKEN_FILE" ] || { echo "fuzz: no API token at $TOKEN_FILE (start the portal with scripts/start.sh)" >&2; exit 2; }
SPEC_URL="$URL/api/archon/openapi.json"
SPEC="$(mktemp)"; trap 'rm -f "$SPEC"' EXIT
curl -fsS -H "Authorization: Bearer $(cat "$TOKEN_FILE")" "$SPEC_URL" -o "$SPEC" \
  || { echo "fuzz: cannot read $SPEC_URL" >&2; exit 2; }

# Every mutating operation the hooks cannot confine is excluded by its
# operationId, so an operation added to the spec later is excluded by default.
mapfile -t EXCLUDES < <(PYTHONPATH="$ROOT/scripts/fuzz" "$VENV/bin/python" - "$SPEC" <<'PY'
import json, sys
from hooks import CONFINED_OPERATIONS, READ_ONLY_POSTS
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
        if method == "get" and not only_streams(op):
            continue
        if op_id not in CONFINED_OPERATIONS and op_id not in READ_ONLY_POSTS:
            print("--exclude-operation-id"); print(op_id)
PY
)

mkdir -p "$REPORT_DIR"
echo "== fuzzing $URL (seed $SEED, $EXAMPLES examples per operation; writes only under /fuzz)"
status=0
# Run from the report folder: schemathesis keeps a .schemathesis cache in its cwd.
(cd "$REPORT_DIR" && SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$ROOT/scripts/fuzz" "$VENV/bin/st" run "$SPEC" \
  --url "$URL" \
  -H "Authorization: Bearer $(cat "$TOKEN_FILE")" \
  "${EXCLUDES[@]}" \
  --checks not_a_server_error \
  --seed "$SEED" --max-examples "$EXAMPLES" \
  --phases examples,coverage,fuzzing \
  --workers 2 --request-timeout 15 --no-color \
  --suppress-health-check all \
  --report ndjson --report-ndjson-path "$REPORT_DIR/events.ndjson") \
  || status=$?

# Count 5xx answers from the recorded events, independently of how
# schemathesis groups failures.
"$VENV/bin/python" - "$REPORT_DIR/events.ndjson" <<'PY' || status=1
import json, sys, collections
server_errors = collections.Counter()
requests = 0
for line in open(sys.argv[1]):
    event = json.loads(line)
    for step in (event.get("ScenarioFinished") or {}).get("recorder", {}).get("interactions", {}).values():
        response = step.get("response")
        if response is None:
            continue
        requests += 1
        if response["status_code"] >= 500:
            server_errors[f'{step["request"]["method"]} {step["request"]["uri"].split("?")[0]} -> {response["status_code"]}'] += 1
print(f"fuzz summary: {requests} requests, {sum(server_errors.values())} answered 5xx")
for what, count in server_errors.most_common(30):
    print(f"  {count:4d}  {what}")
sys.exit(1 if server_errors else 0)
PY
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
