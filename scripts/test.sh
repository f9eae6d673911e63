#!/usr/bin/env bash
# Runs every test: type check, lint, and the unit and integration tests
# against the real local cluster (ZooKeeper, Kafka, Kafka Connect, PostgreSQL),
# installing whatever is missing first. Extra arguments go to jest, e.g.
#   scripts/test.sh plugins/archon-backend
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
export CI="${CI:-true}"

archon_ensure_node
archon_ensure_java
archon_ensure_deps
archon_ensure_token
# Graphviz renders the graph API's DOT exports in the graph tests.
archon_ensure_apt_tool dot graphviz

RESULTS="$ARCHON_ROOT/.archon/test-results.json"
mkdir -p "$ARCHON_ROOT/.archon"
rm -f "$RESULTS"

# Stop the cluster afterwards only if this run started it.
was_running=0
archon_cluster status --json 2>/dev/null | grep -q '"state": *"running"' && was_running=1 || true
portal_started=0
cleanup() {
  if [ "$portal_started" = 1 ]; then
    bash "$ARCHON_ROOT/scripts/start.sh" stop-portal > /dev/null 2>&1 || true
  fi
  if [ "$was_running" = 0 ] && [ -z "${ARCHON_KEEP_CLUSTER:-}" ]; then
    archon_cluster stop > /dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

echo "== local cluster"
archon_cluster start --with-postgres

echo "== type check"
yarn tsc

echo "== lint"
yarn backstage-cli repo lint

# One formatting for every file (Backstage's Prettier config); run
# `yarn prettier --write <files>` on what you touched.
echo "== formatting"
yarn prettier:check

# Backstage's own OpenAPI lint (Spectral's OpenAPI rules plus Backstage's):
# the spec the router validates with and the client is generated from.
echo "== OpenAPI spec lint"
yarn backstage-repo-tools repo schema openapi lint

# The spec is bundled from its parts (src/schema/parts/*.yaml), and the server
# types and the typed client are generated from the bundle; regenerate both and
# fail when the committed files differ (a part edited without
# `yarn workspace @archon/plugin-archon-backend generate`).
echo "== generated code matches the OpenAPI spec"
archon_ensure_openapi_generator
generated=(plugins/archon-backend/src/schema plugins/archon-common/src/schema/openapi/generated)
before="$(mktemp -d)"
for dir in "${generated[@]}"; do mkdir -p "$before/$dir" && cp -r "$ARCHON_ROOT/$dir/." "$before/$dir/"; done
if ! yarn workspace @archon/plugin-archon-backend generate > "$ARCHON_ROOT/.archon/generate.log" 2>&1; then
  # A failed run can leave the folders half written: put the files back as they were.
  for dir in "${generated[@]}"; do rm -rf "${ARCHON_ROOT:?}/$dir" && cp -r "$before/$dir" "$ARCHON_ROOT/$dir"; done
  archon_die "regenerating from the OpenAPI spec failed; see .archon/generate.log"
fi
for dir in "${generated[@]}"; do
  if ! diff -r "$before/$dir" "$ARCHON_ROOT/$dir" > /dev/null; then
    diff -r "$before/$dir" "$ARCHON_ROOT/$dir" | head -40 >&2
    archon_die "$dir did not match the OpenAPI spec (now regenerated): review and commit it"
  fi
done
rm -rf "$before"

echo "== unit and integration tests"
status=0
yarn backstage-cli repo test --json --outputFile="$RESULTS" "$@" || status=$?

if [ -f "$RESULTS" ]; then
  node -e '
    const r = require(process.argv[1]);
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
    if (r.numTotalTests === 0) { console.error("archon: no test ran"); process.exit(1); }
  ' "$RESULTS" || status=1
else
  echo "archon: jest wrote no results" >&2
  status=1
fi

# The portal end to end in real headless Chromium (Playwright, the tests in
# packages/app/e2e-tests, config in playwright.config.ts) against the portal
# with the sample pipeline on this cluster; its last line is `e2e: N passed,
# M failed`. ARCHON_E2E=0 skips it (e.g. when extra arguments pick a few jest
# tests).
if [ "${ARCHON_E2E:-1}" != "0" ] && [ $# -eq 0 ]; then
  echo "== end-to-end (headless Chromium)"
  portal="http://127.0.0.1:${ARCHON_BACKEND_PORT:-7007}/.backstage/health/v1/readiness"
  if ! curl -sf "$portal" > /dev/null 2>&1; then
    portal_started=1
    bash "$ARCHON_ROOT/scripts/start.sh" --detach || status=1
  fi
  (cd "$ARCHON_ROOT" && yarn test:e2e) || status=1
fi
exit $status
