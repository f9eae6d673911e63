// A second portal (backend + built app) against a private cluster, for what
// must not touch the shared portal: the browser tests that freeze Kafka
// (#22; the shared portal's cluster is never frozen) and the scale benchmark
// (#21; its 10,000 topics live on a cluster of their own). app-backend
// injects app.baseUrl/backend.baseUrl into the page at runtime, so the one
// build serves any port. Everything started here runs in its own process
// group, stopped as a whole.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isGroupAlive,
  stopProcessGroup,
  type PrivateCluster,
} from '@archon/local-cluster';
import { waitFor } from '@archon/local-cluster/testing';

/**
 * The private portal runs what the shared one runs (scripts/start.sh), with
 * the same helpers: the production build when scripts/lib/portal.sh has made
 * one of the current sources, else the development backend (from the
 * sources, serving packages/app/dist).
 */
const PORTAL_COMMAND = `
  source scripts/lib/toolchain.sh && archon_ensure_node >/dev/null
  [ -f scripts/lib/portal.sh ] && source scripts/lib/portal.sh
  stamp="$ARCHON_PORTAL_BUILD/.archon-build-stamp"
  # Only the backend gets the inspector, not the helpers' node calls above.
  [ -n "$ARCHON_PORTAL_INSPECT_PORT" ] &&
    export NODE_OPTIONS="--inspect=127.0.0.1:$ARCHON_PORTAL_INSPECT_PORT"
  if declare -F archon_portal_exec >/dev/null && [ -f "$stamp" ] &&
    [ "$(cat "$stamp")" = "$(archon_portal_fingerprint)" ]; then
    echo "private portal: the production build in $ARCHON_PORTAL_BUILD"
    archon_portal_exec "$@"
  fi
  # What \`backstage-cli package start\` runs, without its watcher: a source
  # edited meanwhile must not restart it (its in-memory state is the caller's).
  echo "private portal: the development backend, not watching"
  cd packages/backend && NODE_ENV=development exec node --enable-source-maps \\
    --require @backstage/cli-node/config/nodeTransform.cjs src/index "$@"
`;

export interface PrivatePortalOptions {
  /** The repository's root (where app-config.yaml and scripts/ are). */
  root: string;
  port: number;
  cluster: PrivateCluster;
  /** Where the backend's output goes. */
  logFile: string;
  /** The static token of `backend.auth.externalAccess`; a fresh random one when omitted. */
  token?: string;
  /** YAML appended to its configuration. */
  config?: string;
  /** Starts the backend with the Node inspector on this loopback port (heap and CPU profiles). */
  inspectPort?: number;
  /** How long it may take to become ready (default 5 min). */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface PrivatePortal {
  url: string;
  /** The backend's process (bash execs it), also its process group. */
  pid: number;
  /** The static API token it accepts. */
  token: string;
  /** `production build` or `development backend` (what it runs). */
  readonly mode: string;
  /** The inspector's HTTP endpoint (http://127.0.0.1:port), with `inspectPort`. */
  inspector?: string;
  /** Stops its process group and removes its configuration. */
  stop(): Promise<void>;
}

/**
 * A second backend on `port`, pointed at the private cluster's ZooKeeper,
 * Kafka, Connect and Marathon ports (those the cluster does not run are
 * unused ports), so nothing of the shared cluster is touched. Resolves once
 * it is ready; a backend that exits (e.g. sources that do not load) fails at
 * once, naming its log.
 */
export async function startPrivatePortal(
  options: PrivatePortalOptions,
): Promise<PrivatePortal> {
  const { root, port, cluster, logFile, inspectPort } = options;
  const log = options.log ?? (() => {});
  const token = options.token ?? randomBytes(24).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'archon-private-portal-'));
  const configFile = join(dir, 'app-config.private.yaml');
  const url = `http://localhost:${port}`;
  writeFileSync(
    configFile,
    [
      `app:\n  baseUrl: ${url}`,
      `backend:\n  baseUrl: ${url}\n  listen:\n    port: ${port}\n  cors:\n    origin: ${url}`,
      options.config ?? '',
      '',
    ].join('\n'),
  );
  const ports = cluster.options.ports;
  const out = createWriteStream(logFile);
  const child = spawn(
    'bash',
    [
      '-c',
      PORTAL_COMMAND,
      'private-portal',
      ...[
        join(root, 'app-config.yaml'),
        join(root, 'app-config.embedded.yaml'),
        configFile,
      ].flatMap(file => ['--config', file]),
    ],
    {
      cwd: root,
      // Its own process group, stopped as a whole.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ARCHON_PORTAL_INSPECT_PORT:
          inspectPort === undefined ? '' : String(inspectPort),
        ARCHON_API_TOKEN: token,
        ARCHON_BACKEND_PORT: String(port),
        ARCHON_ZK_PORT: String(ports.zookeeper),
        ARCHON_KAFKA_PORT: String(ports.kafka),
        ARCHON_CONNECT_PORT: String(ports.connect),
        ARCHON_MARATHON_PORT: String(ports.marathon),
        // app-config.yaml's second environment, dr: the private cluster's
        // ports too (unused unless it runs the -dr services).
        ARCHON_DR_ZK_PORT: String(ports.zookeeperDr),
        ARCHON_DR_KAFKA_PORT: String(ports.kafkaDr),
        ARCHON_DR_CONNECT_PORT: String(ports.connectDr),
        ARCHON_DR_MARATHON_PORT: String(ports.marathonDr),
      },
    },
  );
  let mode = 'unknown';
  child.stdout.on('data', (chunk: Buffer) => {
    const said =
      /private portal: the (production build|development backend)/.exec(
        chunk.toString(),
      );
    if (said) mode = said[1];
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const pid = child.pid!;
  const stop = async () => {
    await stopProcessGroup(pid);
    rmSync(dir, { recursive: true, force: true });
  };
  log(
    `private portal starting on ${url} (process group ${pid}, log ${logFile})`,
  );
  try {
    const outcome = await waitFor(
      async () => {
        if (!isGroupAlive(pid)) return 'exited';
        const res = await fetch(`${url}/.backstage/health/v1/readiness`, {
          signal: AbortSignal.timeout(5000),
        });
        return res.ok && 'ready';
      },
      options.readyTimeoutMs ?? 300_000,
      'the private portal to be ready',
      2000,
    );
    if (outcome === 'exited') throw new Error('the private portal exited');
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; see ${logFile}`);
  }
  return {
    url,
    pid,
    token,
    get mode() {
      return mode;
    },
    inspector:
      inspectPort === undefined ? undefined : `http://127.0.0.1:${inspectPort}`,
    stop,
  };
}

/** A request to the archon API of a private portal with its static token. */
export async function privateApi(
  portal: Pick<PrivatePortal, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${portal.url}/api/archon${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${portal.token}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}
