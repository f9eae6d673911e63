import { environmentServiceOf } from './lib/environments';
import { ClusterOptions, resolveSettings } from './lib/settings';
import {
  ALL_SERVICES,
  ClusterState,
  readState,
  ServiceName,
} from './lib/state';
import { SERVICE_DEFINITIONS } from './services';
import { stopRecorded, withSession } from './clusterSession';
import { allHealthy, StartResult, startInSession } from './clusterStartup';

// Re-exported: callers import these from the cluster module, as before the split.
export { withDependencies } from './clusterSession';
export { interruptStart } from './clusterStartup';
export type { StartResult } from './clusterStartup';
export { clusterStatus, ourProcesses } from './clusterStatus';
export type { ServiceState, ServiceStatus } from './clusterStatus';

/**
 * The orchestrator: start (or reuse), stop, restart and inspect services. Every
 * mutating operation holds the run folder's lock, so concurrent `start`s (two
 * terminals, jest workers, the backend's start script) never launch a second
 * copy of anything or write cluster.json at the same time.
 */

export async function startServices(
  names: ServiceName[],
  options: ClusterOptions = {},
): Promise<StartResult[]> {
  const settings = resolveSettings(options);
  return withSession(settings, `start ${names.join(' ')}`, session =>
    startInSession(session, names),
  );
}

/**
 * Starts what is not running, reusing what is. Returns the final state. Takes
 * no lock when everything is already up (cheap for many jest workers).
 */
export async function ensureServices(
  names: ServiceName[],
  options: ClusterOptions = {},
): Promise<ClusterState> {
  const settings = resolveSettings(options);
  if (await allHealthy(settings, names))
    return readState(settings.runDir, settings.cacheDir);
  return withSession(settings, `start ${names.join(' ')}`, async session => {
    await startInSession(session, names);
    return session.state;
  });
}

/** Stops services (all recorded ones when `names` is empty): the Connect workers first, then the rest in parallel. */
export async function stopServices(
  names: ServiceName[] = [],
  options: ClusterOptions = {},
): Promise<Array<{ name: ServiceName; outcome: string }>> {
  const settings = resolveSettings(options);
  return withSession(
    settings,
    `stop ${names.join(' ') || 'all'}`,
    async session => {
      const targets = names.length ? names : ALL_SERVICES;
      const results: Array<{ name: ServiceName; outcome: string }> = [];
      const stopOne = async (name: ServiceName) => {
        const outcome = await stopRecorded(session, SERVICE_DEFINITIONS[name]);
        if (outcome !== 'not running' || names.length)
          settings.log(`${name}: ${outcome}`);
        results.push({ name, outcome });
      };
      // Connect depends on Kafka: stopping the workers first avoids a burst of
      // reconnect errors.
      const workers: ServiceName[] = targets.filter(
        n => environmentServiceOf(n)?.kind === 'connect',
      );
      await Promise.all(workers.map(stopOne));
      await Promise.all(targets.filter(n => !workers.includes(n)).map(stopOne));
      return ALL_SERVICES.filter(n => targets.includes(n)).map(
        n => results.find(r => r.name === n)!,
      );
    },
  );
}

/** Stops one service and starts it again on the same ports; its dependencies are started if down. */
export async function restartServiceByName(
  name: ServiceName,
  options: ClusterOptions = {},
): Promise<StartResult> {
  const settings = resolveSettings(options);
  return withSession(settings, `restart ${name}`, async session => {
    const previous = session.state.services[name];
    // Remember the ports (e.g. a fallback AdminServer port) so clients find it again.
    if (previous) session.portHints[name] = previous;
    const outcome = await stopRecorded(session, SERVICE_DEFINITIONS[name]);
    settings.log(`${name}: ${outcome}`);
    const results = await startInSession(session, [name]);
    return results.find(r => r.name === name)!;
  });
}
