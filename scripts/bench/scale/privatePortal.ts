/*
 * The scale scenario's own portal: a second backend on a free port against
 * the private cluster, as scripts/e2e/frozenKafka.mjs starts one (the
 * production build when scripts/lib/portal.sh has made one of the current
 * sources, else the development backend from the sources, serving
 * packages/app/dist), with its configuration in a temporary app-config. It
 * runs in a process group of its own, stopped as a whole, and with the
 * Node inspector on a loopback port: the benchmark reads the backend's heap
 * and takes CPU profiles through it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrivateCluster } from '@archon/local-cluster';
import { waitFor } from '@archon/local-cluster/testing';
import {
  isGroupAlive,
  stopProcessGroup,
} from '../../../packages/local-cluster/src/lib/process';

const PORTAL_COMMAND = `
  source scripts/lib/toolchain.sh && archon_ensure_node >/dev/null
  source scripts/lib/portal.sh
  stamp="$ARCHON_PORTAL_BUILD/.archon-build-stamp"
  # Only the backend gets the inspector, not the helpers' node calls above.
  export NODE_OPTIONS="--inspect=127.0.0.1:$ARCHON_BENCH_INSPECT_PORT"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(archon_portal_fingerprint)" ]; then
    echo "scale portal: the production build in $ARCHON_PORTAL_BUILD"
    archon_portal_exec "$@"
  fi
  echo "scale portal: the development backend, not watching"
  cd packages/backend && NODE_ENV=development exec node --enable-source-maps \\
    --require @backstage/cli-node/config/nodeTransform.cjs src/index "$@"
`;

export interface PrivatePortal {
  url: string;
  /** The node process (bash execs it), also its process group. */
  pid: number;
  /** The static token of this portal's `backend.auth.externalAccess` (a fresh random one). */
  token: string;
  /** `production build` or `development backend`. */
  mode: string;
  /** The inspector's HTTP endpoint (http://127.0.0.1:port). */
  inspector: string;
  stop(): Promise<void>;
}

export async function startPrivatePortal(options: {
  root: string;
  port: number;
  inspectPort: number;
  cluster: PrivateCluster;
  logFile: string;
  log: (line: string) => void;
}): Promise<PrivatePortal> {
  const { root, port, cluster, logFile, log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'archon-bench-scale-portal-'));
  const configFile = join(dir, 'app-config.scale.yaml');
  const url = `http://localhost:${port}`;
  const token = randomBytes(24).toString('hex');
  writeFileSync(
    configFile,
    [
      `app:\n  baseUrl: ${url}`,
      `backend:\n  baseUrl: ${url}\n  listen:\n    port: ${port}\n  cors:\n    origin: ${url}`,
      // A 10,000-topic metadata answer takes longer than a small cluster's.
      `archon:\n  kafka:\n    requestTimeoutSeconds: 60`,
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
      'scale-portal',
      ...[
        join(root, 'app-config.yaml'),
        join(root, 'app-config.embedded.yaml'),
        configFile,
      ].flatMap(file => ['--config', file]),
    ],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ARCHON_BENCH_INSPECT_PORT: String(options.inspectPort),
        ARCHON_API_TOKEN: token,
        ARCHON_BACKEND_PORT: String(port),
        ARCHON_ZK_PORT: String(ports.zookeeper),
        ARCHON_KAFKA_PORT: String(ports.kafka),
        ARCHON_CONNECT_PORT: String(ports.connect),
        ARCHON_MARATHON_PORT: String(ports.marathon),
      },
    },
  );
  let mode = 'unknown';
  child.stdout.on('data', (chunk: Buffer) => {
    const said =
      /scale portal: the (production build|development backend)/.exec(
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
    await waitFor(
      async () => {
        if (!isGroupAlive(pid)) throw new Error('it exited');
        const res = await fetch(`${url}/.backstage/health/v1/readiness`, {
          signal: AbortSignal.timeout(5000),
        });
        return res.ok;
      },
      600_000,
      'the private portal to become ready',
      2000,
    );
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
    inspector: `http://127.0.0.1:${options.inspectPort}`,
    stop,
  };
}
