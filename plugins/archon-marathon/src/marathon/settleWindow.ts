import type { ArchonDeployOutcome } from '@archon/plugin-archon-node';
import type { MarathonAppInfo } from '../client/types';
import { failedTaskOfApp, type FailedTask } from './taskFailure';

/**
 * The verdict at the end of a settle window, from the app as Marathon shows
 * it then: a task failure of this version since the window opened (which the
 * caller reports with its stderr), or success only when every wanted
 * instance runs, and passes its health checks where the app has some.
 */
export function judgeSettleWindow(options: {
  app: MarathonAppInfo | undefined;
  appId: string;
  /** When the window opened (ms). */
  since: number;
  version?: string;
  settleMs: number;
  /** What Marathon said, e.g. `Marathon deployment … succeeded`. */
  done: string;
}): { outcome: ArchonDeployOutcome } | { failure: FailedTask } {
  const { app, settleMs, done } = options;
  const seconds = Math.round(settleMs / 1000);
  if (!app)
    return {
      outcome: {
        result: 'failed',
        reason: `${options.appId} disappeared within the settle window`,
      },
    };
  const failure = app.lastTaskFailure;
  if (
    failure &&
    Date.parse(failure.timestamp) >= options.since &&
    !(options.version && failure.version < options.version)
  ) {
    return { failure: failedTaskOfApp(failure) };
  }
  const wanted = app.instances ?? 0;
  const checked = (app.healthChecks ?? []).length > 0;
  const up =
    (app.tasksRunning ?? 0) >= wanted &&
    (!checked || (app.tasksHealthy ?? 0) >= wanted);
  if (up) {
    return {
      outcome: {
        result: 'succeeded',
        reason: `${done}; ${wanted} of ${wanted} instance(s) ${
          checked ? 'healthy' : 'running'
        } through the ${seconds} s settle window`,
      },
    };
  }
  return {
    outcome: {
      result: 'failed',
      reason: `${done}, but at the end of the ${seconds} s settle window ${
        app.tasksRunning ?? 0
      } of ${wanted} instance(s) ran${
        checked ? `, ${app.tasksHealthy ?? 0} healthy` : ''
      }${failure ? `; last task failure: ${failure.message}` : ''}`,
    },
  };
}
