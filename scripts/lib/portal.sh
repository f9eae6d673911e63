# shellcheck shell=bash
# The production-built portal that scripts/start.sh runs: Backstage's own
# backend bundle (`backstage-cli package build` of packages/backend, which
# builds every workspace package it uses and the frontend it serves), laid
# out under .archon/build/portal and run with plain node (see archon_portal_exec
# for its NODE_ENV).
# Sourced after toolchain.sh.

ARCHON_PORTAL_BUILD="$ARCHON_ROOT/.archon/build/portal"

# A fingerprint of everything the bundle is built from: the sources and
# manifests of the workspace packages, the lockfile and the yarn patches.
archon_portal_fingerprint() {
  (
    cd "$ARCHON_ROOT"
    # The browser tests are not part of the bundle: editing one must not
    # make the next start rebuild (or a private portal fall back to the
    # development backend).
    find packages/app packages/backend packages/kafka-wire plugins .yarn/patches \
      \( -name node_modules -o -name dist -o -name dist-types -o -path packages/app/e2e-tests \) -prune -o \
      -type f -print0 2>/dev/null | sort -z | xargs -0 sha1sum
    sha1sum yarn.lock package.json
  ) | sha1sum | cut -d' ' -f1
}

# Builds the bundle when its sources changed since the last build, and lays it
# out so that node resolves the workspace packages to their built copies
# (node_modules/@archon/* inside the build) and everything else to the
# repository's node_modules (the build sits below it).
archon_portal_build() {
  local log="$1" stamp="$ARCHON_PORTAL_BUILD/.archon-build-stamp" sum
  sum="$(archon_portal_fingerprint)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return 0
  fi
  echo "archon: building the portal (backend bundle and frontend; log: $log)"
  (cd "$ARCHON_ROOT" && yarn workspace backend build > "$log" 2>&1) \
    || { tail -20 "$log" >&2; archon_die "the portal build failed; see $log"; }
  local next="$ARCHON_PORTAL_BUILD.next"
  rm -rf "$next" && mkdir -p "$next"
  tar xzf "$ARCHON_ROOT/packages/backend/dist/bundle.tar.gz" -C "$next"
  local manifest name up
  for manifest in "$next"/packages/*/package.json "$next"/plugins/*/package.json; do
    name="$(node -p 'require(process.argv[1]).name' "$manifest")"
    mkdir -p "$next/node_modules/$(dirname "$name")"
    # Relative links, so the layout survives the move into place.
    up="$(echo "$name" | sed -e 's#[^/]*#..#g')"
    ln -s "$up/$(dirname "${manifest#"$next"/}")" "$next/node_modules/$name"
  done
  echo "$sum" > "$next/.archon-build-stamp"
  rm -rf "$ARCHON_PORTAL_BUILD" && mv "$next" "$ARCHON_PORTAL_BUILD"
}

# Runs the built backend in the foreground. The working directory stays
# packages/backend, so the config's relative catalog locations
# (../../examples/...) mean what they mean in development.
#
# NODE_ENV is ARCHON_PORTAL_NODE_ENV, `development` by default: the embedded
# profile serves plain http on loopback, and Backstage accepts the CLI's
# sign-in (`archon login`: a client-ID metadata document at an http://localhost
# URL) and the guest provider only in development. Nothing is watched or
# transpiled either way; a deployment behind HTTPS runs the same build with
# NODE_ENV=production (packages/backend/Dockerfile).
archon_portal_exec() {
  cd "$ARCHON_ROOT/packages/backend" || exit 1
  # --no-node-snapshot: the scaffolder's isolated-vm needs it on Node 20+.
  # --experimental-async-context-frame: AsyncLocalStorage (archon's database
  # deadline per request) without async_hooks' promise hooks, which Node 22
  # otherwise runs on every promise of the process: 27% of the backend's CPU
  # under 16 clients of /health (bench:scale profile). Node 24's default.
  NODE_ENV="${ARCHON_PORTAL_NODE_ENV:-development}" exec node --no-node-snapshot --experimental-async-context-frame --enable-source-maps \
    "$ARCHON_PORTAL_BUILD/packages/backend" "$@"
}
