/**
 * Jest globalTeardown: by default the cluster keeps running, so the next test
 * run starts in a fraction of a second. With ARCHON_STOP_AFTER_TESTS=1 it stops
 * the services that globalSetup started (ones that were already running when the
 * tests began are left alone) — use that in CI so no JVM outlives the run.
 */
import { stopLocalCluster } from '../index';
import { isServiceName } from '../lib/state';
import { STARTED_SERVICES_ENV } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
  const stop = process.env.ARCHON_STOP_AFTER_TESTS;
  if (!stop || ['0', 'false', 'no'].includes(stop.toLowerCase())) return;
  const started = (process.env[STARTED_SERVICES_ENV] ?? '')
    .split(',')
    .filter(isServiceName);
  if (started.length) await stopLocalCluster(started);
}
