#!/usr/bin/env bash
# Starts archon on its embedded default: the local cluster of real services
# (ZooKeeper, Kafka, Kafka Connect, a local Marathon) and the portal on http://localhost:7007.
#
#   scripts/start.sh            start (or reuse) everything, stay in the foreground; Ctrl-C stops it
#   scripts/start.sh --detach   start and return once the portal answers
#   scripts/start.sh stop       stop the portal and the local cluster
#   scripts/start.sh stop-portal   stop the portal only (the cluster keeps running)
#   scripts/start.sh --dev      (yarn dev) the watching development backend instead of the built one
#   ARCHON_SEED=0 scripts/start.sh   do not seed the sample pipeline
#
# The portal is the production build (scripts/lib/portal.sh), rebuilt only when
# its sources change; --dev (or ARCHON_DEV=1) runs `backstage-cli package
# start`, which restarts on every source change, for developing archon.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/toolchain.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/portal.sh"

RUN_DIR="${ARCHON_RUN_DIR:-$ARCHON_ROOT/.archon/run}"
BACKEND_PGID_FILE="$RUN_DIR/backend.pgid"
BACKEND_LOG="$RUN_DIR/backend.log"
PORT="${ARCHON_BACKEND_PORT:-7007}"
# The portal's database files (app-config.data.yaml): kept across restarts.
export ARCHON_DATA_DIR="${ARCHON_DATA_DIR:-$ARCHON_ROOT/.archon/data}"

stop_backend() {
  if [ -f "$BACKEND_PGID_FILE" ]; then
    local pgid
    pgid="$(cat "$BACKEND_PGID_FILE")"
    if kill -0 -- "-$pgid" 2>/dev/null; then
      kill -TERM -- "-$pgid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL -- "-$pgid" 2>/dev/null || true
    fi
    rm -f "$BACKEND_PGID_FILE"
  fi
}

case "${1:-}" in
  stop)
    archon_ensure_node
    stop_backend
    archon_cluster stop
    exit 0
    ;;
  stop-portal)
    stop_backend
    exit 0
    ;;
esac
DETACH=""
DEV="${ARCHON_DEV:-0}"
for arg in "$@"; do
  case "$arg" in
    --detach) DETACH=1 ;;
    --dev) DEV=1 ;;
    *) archon_die "unknown argument '$arg' (use: start.sh [--detach] [--dev] | start.sh stop | start.sh stop-portal)" ;;
  esac
done

archon_ensure_node
archon_ensure_java
archon_ensure_deps
archon_ensure_token
mkdir -p "$RUN_DIR"

started=$(date +%s)
archon_cluster start

if [ -f "$BACKEND_PGID_FILE" ] && kill -0 -- "-$(cat "$BACKEND_PGID_FILE")" 2>/dev/null; then
  echo "archon: the portal is already running (process group $(cat "$BACKEND_PGID_FILE"))"
else
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    archon_die "port $PORT is taken by another program; stop it or set ARCHON_BACKEND_PORT"
  fi
  mkdir -p "$ARCHON_DATA_DIR"
  if [ "$DEV" = "1" ]; then
    # Build the frontend once (and again only when its sources change); the
    # development backend serves it, so the portal needs no dev server.
    app_stamp="$ARCHON_ROOT/packages/app/dist/.archon-build-stamp"
    app_sum="$(find "$ARCHON_ROOT/packages/app/src" "$ARCHON_ROOT/plugins/archon-frontend/src" "$ARCHON_ROOT/packages/app/package.json" -type f -print0 2>/dev/null | sort -z | xargs -0 cat | sha1sum | cut -d' ' -f1)"
    if [ ! -f "$app_stamp" ] || [ "$(cat "$app_stamp")" != "$app_sum" ]; then
      echo "archon: building the portal's frontend"
      (cd "$ARCHON_ROOT/packages/app" && yarn build > "$RUN_DIR/app-build.log" 2>&1) \
        || archon_die "the frontend build failed; see $RUN_DIR/app-build.log"
      echo "$app_sum" > "$app_stamp"
    fi
    echo "archon: starting the development portal, which restarts on source changes (log: $BACKEND_LOG)"
    portal_command='cd packages/backend && exec yarn start --config "$1" --config "$2" --config "$3"'
  else
    archon_portal_build "$RUN_DIR/portal-build.log"
    echo "archon: starting the portal (production build; log: $BACKEND_LOG)"
    portal_command='source scripts/lib/toolchain.sh && source scripts/lib/portal.sh && archon_portal_exec --config "$1" --config "$2" --config "$3"'
  fi
  # setsid --fork: the portal gets its own process group (stopped as a
  # whole) and keeps none of this script's file descriptors: 3-9 are closed
  # too, or a caller's `flock /tmp/archon-portal.lock start.sh` would leave
  # that lock held by the running portal for good.
  (cd "$ARCHON_ROOT" && \
    exec setsid --fork bash -c 'echo $$ > "$0"; run="$1"; shift; eval "$run"' \
      "$BACKEND_PGID_FILE" "$portal_command" "$ARCHON_ROOT/app-config.yaml" "$ARCHON_ROOT/app-config.embedded.yaml" "$ARCHON_ROOT/app-config.data.yaml" \
      > "$BACKEND_LOG" 2>&1 < /dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-)
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$PORT/.backstage/health/v1/readiness" > /dev/null 2>&1 && break
    if [ -f "$BACKEND_PGID_FILE" ] && ! kill -0 -- "-$(cat "$BACKEND_PGID_FILE")" 2>/dev/null; then
      tail -20 "$BACKEND_LOG" >&2
      archon_die "the portal stopped during start-up; see $BACKEND_LOG"
    fi
    sleep 1
  done
  curl -sf "http://127.0.0.1:$PORT/.backstage/health/v1/readiness" > /dev/null \
    || archon_die "the portal did not answer within 3 minutes; see $BACKEND_LOG"
fi

# The sample pipeline (packages/sample-pipeline), defined through archon's own
# REST API; a second run changes nothing. ARCHON_SEED=0 skips it.
if [ "${ARCHON_SEED:-1}" != "0" ]; then
  echo "archon: seeding the sample pipeline through the API (ARCHON_SEED=0 skips it; log: $RUN_DIR/seed.log)"
  if (cd "$ARCHON_ROOT" && ARCHON_RUN_DIR="$RUN_DIR" yarn workspace @archon/sample-pipeline seed --url "http://127.0.0.1:$PORT") > "$RUN_DIR/seed.log" 2>&1; then
    grep '^sample pipeline: ' "$RUN_DIR/seed.log" | sed 's/^/archon: /'
  else
    tail -5 "$RUN_DIR/seed.log" >&2
    echo "archon: seeding the sample pipeline failed (the portal is up); see $RUN_DIR/seed.log" >&2
  fi
fi

cat <<MSG

archon is up after $(( $(date +%s) - started )) s.
  Portal:      http://localhost:$PORT   (sign in as guest)
  API token:   $ARCHON_TOKEN_FILE
  Try:         curl -H "Authorization: Bearer \$(cat $ARCHON_TOKEN_FILE)" http://localhost:$PORT/api/archon/health
  Logs:        $RUN_DIR
  Stop:        scripts/start.sh stop$( [ -z "$DETACH" ] && echo ' (or Ctrl-C here)')
MSG

if [ -z "$DETACH" ]; then
  trap 'echo; echo "archon: stopping"; stop_backend; archon_cluster stop; exit 0' INT TERM
  # Stay in the foreground while the portal runs.
  while [ -f "$BACKEND_PGID_FILE" ] && kill -0 -- "-$(cat "$BACKEND_PGID_FILE")" 2>/dev/null; do sleep 2; done
  echo "archon: the portal stopped; see $BACKEND_LOG" >&2
  exit 1
fi
