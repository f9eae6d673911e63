/**
 * Helpers for test files that run against the local cluster (started by
 * src/jest/globalSetup.ts):
 *
 *   const cluster = getTestCluster();          // brokers, ZooKeeper, Connect URL, ...
 *   const ns = testNamespace('consumer-lag');  // private ZooKeeper root, topic and group prefixes
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { infoFromState, LocalClusterInfo } from './info';
import { resolveSettings } from './lib/settings';
import { readState } from './lib/state';

/** globalSetup puts the cluster info (JSON) here; jest workers inherit it. */
export const TEST_CLUSTER_ENV = 'ARCHON_TEST_CLUSTER';
/** One id per jest run (set by globalSetup), part of every test namespace. */
export const TEST_RUN_ID_ENV = 'ARCHON_TEST_RUN_ID';

/** A short id that sorts by time: base-36 milliseconds + 4 random hex digits. */
export function newTestRunId(): string {
  return `${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
}

/**
 * The cluster the tests run against. Reads what globalSetup exported, or (when
 * a test file is run without it) the run folder's cluster.json.
 */
export function getTestCluster(): LocalClusterInfo {
  const raw = process.env[TEST_CLUSTER_ENV];
  if (raw) return JSON.parse(raw) as LocalClusterInfo;
  const settings = resolveSettings();
  const info = infoFromState(readState(settings.runDir, settings.cacheDir));
  if (info) return info;
  throw new Error(
    `no local cluster is running for the tests: add "globalSetup": "@archon/local-cluster/src/jest/globalSetup.ts" to the package's jest config, or run the local-cluster CLI's 'start' first`,
  );
}

let processRunId: string | undefined;

function runId(): string {
  const fromEnv = process.env[TEST_RUN_ID_ENV];
  if (fromEnv) return fromEnv;
  // Without globalSetup, one id per process still keeps runs apart.
  processRunId ??= newTestRunId();
  return processRunId;
}

/** The test file being run (jest), or the script. */
function currentTestFile(): string {
  const jestExpect = (
    globalThis as { expect?: { getState?: () => { testPath?: string } } }
  ).expect;
  return jestExpect?.getState?.().testPath ?? process.argv[1] ?? 'unknown';
}

function slug(text: string, max: number): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, max)
      .replace(/-+$/, '') || 'x'
  );
}

export interface TestNamespace {
  /** `<run>-<file>-<hash>-<label>`: the unique part of the names below. */
  id: string;
  /** A ZooKeeper path to create and use as the test's root (not created here). */
  zkRoot: string;
  /** Prefix for every topic the test creates, e.g. `${topicPrefix}orders`. */
  topicPrefix: string;
  /** Prefix for every consumer group id the test uses. */
  groupPrefix: string;
}

/**
 * Names that no other test file and no other run can collide with: they contain
 * the jest run id, the test file (name + hash of its full path) and `label`.
 * Calling it again with the same label in the same file gives the same names.
 * Kafka names use only [a-z0-9-] (no '.'/'_' mix that Kafka warns about).
 */
export function testNamespace(label: string): TestNamespace {
  const file = currentTestFile();
  const fileHash = crypto
    .createHash('sha1')
    .update(file)
    .digest('hex')
    .slice(0, 6);
  const base = path.basename(file).replace(/\.(test|spec)\.[cm]?[jt]sx?$/, '');
  const id = `${runId()}-${slug(base, 30)}-${fileHash}-${slug(label, 40)}`;
  return {
    id,
    zkRoot: `/archon-test/${id}`,
    topicPrefix: `archon-test-${id}-`,
    groupPrefix: `archon-test-${id}-`,
  };
}

/**
 * Polls `check` until it returns a truthy value, and fails naming `what` (and
 * the last error `check` threw) once `timeoutMs` has passed. Tests wait on the
 * condition they need this way, never for a fixed time, so a loaded machine
 * only makes them slower, not flaky.
 */
export async function waitFor<T>(
  check: () =>
    | Promise<T | undefined | null | false>
    | T
    | undefined
    | null
    | false,
  timeoutMs = 60_000,
  what = 'condition',
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${
          lastError ? `: ${String(lastError)}` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/**
 * Repeats a block of `expect`s until it passes, for state that is derived or
 * refreshed in the background; after `timeoutMs` the last assertion error is
 * thrown as it is, so the failure reads like a plain `expect`.
 */
export async function eventually(
  check: () => Promise<void> | void,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

export type { LocalClusterInfo } from './info';
