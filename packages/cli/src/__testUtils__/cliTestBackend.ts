import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalMarathon } from '@archon/local-marathon';
import {
  removeTestNamespace,
  startArchonTestBackend,
  type LocalClusterInfo,
  type TestNamespace,
} from '@archon/test-utils';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleKafka from '@archon/plugin-archon-kafka';
import archonModuleMarathon from '@archon/plugin-archon-marathon';

export interface CliTestBackend {
  /** http://127.0.0.1:<port>, for ARCHON_URL. */
  url: string;
  cluster: LocalClusterInfo;
  /** Private names: topic and group prefixes, ZooKeeper root. */
  ns: TestNamespace;
  /** With `marathon: true`: the backend's own local Marathon-compatible server. */
  marathon?: LocalMarathon;
  /** Stops the backend and removes what the suite made under `ns`. */
  stop(): Promise<void>;
}

/**
 * The archon backend (plugin + Kafka module) in this process (the one test
 * backend, @archon/test-utils), on a real port, against the local cluster
 * with a private ZooKeeper root, for running the CLI against as a
 * subprocess. Mock auth accepts requests without a token.
 *
 * With `marathon`, also the Marathon module and a local Marathon-compatible
 * server of its own (free port, temp data dir, a private host port range),
 * so deploys run real processes without touching the shared one on 8080.
 * `deploymentTimeoutMs` is when that server fails a deployment whose tasks
 * never turn healthy.
 *
 * `kafkaGraphRefreshSeconds` re-reads Kafka for the graph that often (the
 * default is 30 s), for tests that wait for their topics and groups there.
 */
export async function startCliTestBackend(
  label: string,
  options: {
    marathon?: { deploymentTimeoutMs: number };
    /** More Marathon instances after `local` (`{ name, url, mesosAgentUrl }`): a second deploy target. */
    extraMarathonInstances?: Parameters<
      typeof startArchonTestBackend
    >[0]['extraMarathonInstances'];
    kafkaGraphRefreshSeconds?: number;
  } = {},
): Promise<CliTestBackend> {
  const backend = await startArchonTestBackend({
    label,
    features: [
      archonPlugin,
      archonModuleKafka,
      ...(options.marathon ? [archonModuleMarathon] : []),
    ],
    kafka: options.kafkaGraphRefreshSeconds
      ? { graph: { refreshIntervalSeconds: options.kafkaGraphRefreshSeconds } }
      : true,
    connect: true,
    marathon: options.marathon && {
      deploymentTimeoutMs: options.marathon.deploymentTimeoutMs,
    },
    extraMarathonInstances: options.extraMarathonInstances,
    // A short settle window keeps the deploy tests quick (default 10 s).
    archon: { deploy: { settleSeconds: 1 } },
  });
  const { url, cluster, ns, marathon } = backend;
  return {
    url,
    cluster,
    ns,
    marathon,
    async stop() {
      await backend.stop();
      // Its topics, groups, connectors and ZooKeeper root: the shared
      // cluster (and the portal's graph) keeps nothing of the suite.
      await removeTestNamespace(ns, cluster);
    },
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
    /** Sends Ctrl-C (SIGINT) once stdout satisfies this, as a user would. */
    interruptWhen?: (stdout: string) => boolean;
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
    let interrupted = false;
    child.stdout.on('data', d => {
      stdout += d;
      if (!interrupted && options.interruptWhen?.(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
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
