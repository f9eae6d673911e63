// A second portal for tests that must break what it talks to (#22): the
// shared portal's cluster is never frozen, so frozenKafka.test.ts starts a
// private ZooKeeper and Kafka (the local-cluster fault harness) and this
// backend on a free port, serving the same built frontend (app-backend
// injects app.baseUrl/backend.baseUrl into the page at runtime, so one build
// serves any port). Everything started here runs in its own process group,
// stopped as a whole.
import {
  isGroupAlive,
  PrivateCluster,
  stopProcessGroup,
} from '@archon/local-cluster';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@archon/local-cluster/testing';
import { log, ROOT } from './environment';

/**
 * The second portal runs what the shared one runs (scripts/start.sh), with
 * the same helpers: the production build when scripts/lib/portal.sh has made
 * one of the current sources, else the development backend (from the
 * sources, serving packages/app/dist).
 */
const PORTAL_COMMAND = `
  source scripts/lib/toolchain.sh && archon_ensure_node >/dev/null
  [ -f scripts/lib/portal.sh ] && source scripts/lib/portal.sh
  stamp="$ARCHON_PORTAL_BUILD/.archon-build-stamp"
  if declare -F archon_portal_exec >/dev/null && [ -f "$stamp" ] &&
    [ "$(cat "$stamp")" = "$(archon_portal_fingerprint)" ]; then
    echo "second portal: the production build in $ARCHON_PORTAL_BUILD"
    archon_portal_exec "$@"
  fi
  # What \`backstage-cli package start\` runs, without its watcher: a source
  # edited meanwhile must not restart it (its in-memory state is the test's).
  echo "second portal: the development backend, not watching"
  cd packages/backend && NODE_ENV=development exec node --enable-source-maps \\
    --require @backstage/cli-node/config/nodeTransform.cjs src/index "$@"
`;

export type PrivatePortal = {
  pgid: number;
  url: string;
  stop(): Promise<void>;
};

/**
 * A second backend on `port`, pointed at the private ZooKeeper and Kafka;
 * Connect and Marathon point at the private cluster's unused ports, so
 * nothing of the shared cluster is touched. `config` is YAML appended to its
 * configuration. Resolves once it is ready.
 */
export async function startPrivatePortal(options: {
  port: number;
  cluster: PrivateCluster;
  token: string;
  logFile: string;
  config: string;
}): Promise<PrivatePortal> {
  const { port, cluster, token, logFile, config } = options;
  const dir = mkdtempSync(join(tmpdir(), 'archon-e2e-portal-'));
  const configFile = join(dir, 'app-config.private.yaml');
  const url = `http://localhost:${port}`;
  writeFileSync(
    configFile,
    [
      `app:\n  baseUrl: ${url}`,
      `backend:\n  baseUrl: ${url}\n  listen:\n    port: ${port}\n  cors:\n    origin: ${url}`,
      config,
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
      'second-portal',
      ...[
        join(ROOT, 'app-config.yaml'),
        join(ROOT, 'app-config.embedded.yaml'),
        configFile,
      ].flatMap(file => ['--config', file]),
    ],
    {
      cwd: ROOT,
      // Its own process group, stopped as a whole.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ARCHON_API_TOKEN: token,
        ARCHON_BACKEND_PORT: String(port),
        ARCHON_ZK_PORT: String(ports.zookeeper),
        ARCHON_KAFKA_PORT: String(ports.kafka),
        ARCHON_CONNECT_PORT: String(ports.connect),
        ARCHON_MARATHON_PORT: String(ports.marathon),
      },
    },
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const pgid = child.pid!;
  const portal = {
    pgid,
    url,
    async stop() {
      await stopProcessGroup(pgid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  log(
    `second portal starting on ${url} (process group ${pgid}, log ${logFile})`,
  );
  try {
    // Ready, or gone: a backend that exits (e.g. sources that do not load) fails at once.
    const outcome = await waitFor(
      async () => {
        if (!isGroupAlive(pgid)) return 'exited';
        const res = await fetch(`${url}/.backstage/health/v1/readiness`, {
          signal: AbortSignal.timeout(5000),
        });
        return res.ok && 'ready';
      },
      300_000,
      'the second portal to be ready',
      2000,
    );
    if (outcome === 'exited') throw new Error('the second portal exited');
  } catch (error) {
    await portal.stop();
    throw new Error(`${(error as Error).message}; see ${logFile}`);
  }
  return portal;
}

/** The archon API of a private portal with the static token. */
export async function privateApi(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${url}/api/archon${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}
