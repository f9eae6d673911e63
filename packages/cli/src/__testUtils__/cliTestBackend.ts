import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @backstage/no-forbidden-package-imports -- the local cluster's test helpers, as the backend's tests use them
import {
  getTestCluster,
  testNamespace,
  type LocalClusterInfo,
} from '@archon/local-cluster/testing';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the CLI's tests run the real backend
import archonPlugin from '@archon/plugin-archon-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the CLI's tests run the real backend
import archonModuleKafka from '@archon/plugin-archon-kafka';

export interface CliTestBackend {
  /** http://127.0.0.1:<port>, for ARCHON_URL. */
  url: string;
  cluster: LocalClusterInfo;
  /** Private names: topic and group prefixes, ZooKeeper root. */
  ns: ReturnType<typeof testNamespace>;
  stop(): Promise<void>;
}

/**
 * The archon backend (plugin + Kafka module) in this process, on a real
 * port, against the local cluster with a private ZooKeeper root, for running
 * the CLI against as a subprocess. Mock auth accepts requests without a token.
 */
export async function startCliTestBackend(
  label: string,
): Promise<CliTestBackend> {
  const cluster = getTestCluster();
  const ns = testNamespace(label);
  const backend = await startTestBackend({
    features: [
      archonPlugin,
      archonModuleKafka,
      mockServices.rootConfig.factory({
        data: {
          archon: {
            zookeeper: {
              ensembles: [
                {
                  name: 'local',
                  connectionString: cluster.zookeeper.connectionString,
                  root: `${ns.zkRoot}/pheidippides`,
                  sessionTimeoutMs: 6000,
                },
              ],
            },
            kafka: {
              clusters: [{ name: 'local', brokers: cluster.kafka.brokers }],
              sampler: { enabled: false },
            },
            kafkaConnect: {
              clusters: [
                {
                  name: 'local',
                  url: cluster.connect.url,
                  kafkaCluster: 'local',
                },
              ],
            },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cluster,
    ns,
    stop: () => backend.stop(),
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// eslint-disable-next-line no-restricted-syntax -- tests run from the sources, next to bin/
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'archon');

/** A private HOME/XDG_CONFIG_HOME so tests never touch the user's contexts. */
export function makeCliHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'archon-cli-test-'));
}

/**
 * Runs `bin/archon` as a subprocess (asynchronously: the backend answering it
 * runs in this process). stdin is a pipe, never a terminal.
 */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string | undefined>;
    input?: string;
    home: string;
    timeoutMs?: number;
  },
): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: options.home,
    XDG_CONFIG_HOME: path.join(options.home, 'config'),
    NO_COLOR: '1',
    // Never the repo's local token file.
    ARCHON_TOKEN_FILE: path.join(options.home, 'no-token'),
  };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    const timer = setTimeout(
      () => child.kill('SIGKILL'),
      options.timeoutMs ?? 60_000,
    );
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
