/**
 * Jest globalSetup: makes sure the local cluster is up (starting or reusing it)
 * before any test file runs, then hands its coordinates to the test workers
 * through the environment (ARCHON_TEST_CLUSTER, read by getTestCluster()) and
 * <run>/test-cluster.json.
 *
 * In a package's package.json:
 *   "jest": {
 *     "globalSetup": "@archon/local-cluster/src/jest/globalSetup.ts",
 *     "globalTeardown": "@archon/local-cluster/src/jest/globalTeardown.ts"
 *   }
 * ARCHON_TEST_POSTGRES=1 also starts PostgreSQL.
 */
import path from 'node:path';
import { ensureLocalCluster, readClusterInfo } from '../index';
import { writeFileAtomic } from '../lib/paths';
import { readState } from '../lib/state';
import { resolveSettings } from '../lib/settings';
import { newTestRunId, TEST_CLUSTER_ENV, TEST_RUN_ID_ENV } from '../testing';

/** Services this setup started itself (globalTeardown may stop exactly those). */
export const STARTED_SERVICES_ENV = 'ARCHON_TEST_STARTED_SERVICES';

const truthy = (value: string | undefined) =>
  !!value && !['0', 'false', 'no', ''].includes(value.toLowerCase());

export default async function globalSetup(): Promise<void> {
  const quiet = truthy(process.env.ARCHON_QUIET);
  const log = (line: string) => {
    if (!quiet) process.stderr.write(`[local-cluster] ${line}\n`);
  };
  const settings = resolveSettings();
  const before = readState(settings.runDir, settings.cacheDir).services;
  const started = Date.now();
  const info = await ensureLocalCluster({
    withPostgres: truthy(process.env.ARCHON_TEST_POSTGRES),
    log,
  });
  const after = readState(settings.runDir, settings.cacheDir).services;
  const startedHere = (Object.keys(after) as Array<keyof typeof after>).filter(
    name => after[name]?.pid !== before[name]?.pid,
  );
  log(
    startedHere.length
      ? `started ${startedHere.join(', ')} in ${(
          (Date.now() - started) /
          1000
        ).toFixed(1)} s`
      : 'reusing the running cluster',
  );

  process.env[TEST_CLUSTER_ENV] = JSON.stringify(info);
  process.env[TEST_RUN_ID_ENV] ||= newTestRunId();
  process.env[STARTED_SERVICES_ENV] = startedHere.join(',');
  writeFileAtomic(
    path.join(info.runDir, 'test-cluster.json'),
    `${JSON.stringify(readClusterInfo() ?? info, null, 2)}\n`,
  );
}
