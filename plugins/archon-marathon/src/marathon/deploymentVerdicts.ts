import type { ArchonDeployOutcome } from '@archon/plugin-archon-node';
import type { MarathonClient } from '../client/MarathonClient';
import type { MarathonAppInfo } from '../client/types';
import type { FollowOptions } from './followDeployment';
import {
  describeCrashLoop,
  exitStatusOf,
  type FailedTask,
} from './taskFailure';

/**
 * Why Marathon failed a deployment: its own reason, else the last health
 * check failure, else the last failed task's words.
 */
export function failedDeploymentReason(
  marathonReason: unknown,
  lastHealthFailure: string | undefined,
  lastTaskFailure: string | undefined,
): string {
  return (
    (typeof marathonReason === 'string' && marathonReason) ||
    (lastHealthFailure
      ? `last health check failure: ${lastHealthFailure}`
      : undefined) ||
    lastTaskFailure ||
    'Marathon reports the deployment failed (no reason given)'
  );
}

/**
 * The failed outcome of a change whose tasks fail: `why`, the crash loop
 * (the last task's exit status and stderr tail), the last health check
 * failure when a health check killed it, and what stops Marathon's
 * relaunching while it still tries.
 */
export function crashLoopOutcome(input: {
  why: string;
  /** Failed tasks of this change's version, oldest first. */
  failures: FailedTask[];
  last: FailedTask;
  stderr: string | undefined;
  lastHealthFailure: string | undefined;
  /** Whether Marathon still lists the deployment (it keeps relaunching). */
  stillDeploying: boolean;
  deploymentId: string;
}): ArchonDeployOutcome & { reason: string } {
  const { failures, last, stderr, deploymentId } = input;
  const health =
    last.healthKill && input.lastHealthFailure
      ? `; last health check failure: ${input.lastHealthFailure}`
      : '';
  // Marathon keeps relaunching; say so, and what stops it.
  const pending = input.stillDeploying
    ? `; Marathon deployment ${deploymentId} is still trying: cancel it (DELETE /v2/deployments/${deploymentId}, archon deployments cancel) or deploy a fix with force`
    : '';
  const reason = `${input.why}: ${describeCrashLoop(
    failures,
    stderr,
  )}${health}${pending}`;
  return {
    result: 'failed',
    reason,
    details: {
      failedTasks: failures.length,
      lastFailure: {
        ...last,
        exitStatus: exitStatusOf(last.message),
        stderr,
      },
    },
  };
}

/**
 * The verdict on a deployment Marathon no longer lists although its final
 * event did not come, from the app as Marathon shows it now: an outcome, or
 * (the wanted instances run, healthy where checked) the settle window to
 * open, with what Marathon is taken to have said.
 */
export function judgeEndedDeployment(
  app: MarathonAppInfo | undefined,
  options: Pick<
    FollowOptions,
    'appId' | 'deploymentId' | 'version' | 'expectGone'
  >,
): { outcome: ArchonDeployOutcome } | { settle: string } {
  const { appId, deploymentId } = options;
  if (options.expectGone) {
    return app
      ? {
          outcome: {
            result: 'failed',
            reason: `${appId} still exists after the deployment ended`,
          },
        }
      : {
          outcome: {
            result: 'succeeded',
            reason: 'confirmed over REST (the final event was not seen)',
          },
        };
  }
  if (!app)
    return {
      outcome: { result: 'failed', reason: `${appId} no longer exists` },
    };
  if (app.version && options.version && app.version > options.version) {
    return {
      outcome: {
        result: 'failed',
        reason: `superseded by a newer change (version ${app.version}) before it finished`,
      },
    };
  }
  const instances = app.instances ?? 0;
  const ok =
    (app.tasksRunning ?? 0) >= instances &&
    ((app.healthChecks ?? []).length === 0 ||
      (app.tasksHealthy ?? 0) >= instances);
  if (ok)
    return {
      settle: `Marathon deployment ${deploymentId} finished (confirmed over REST; its final event was not seen)`,
    };
  return {
    outcome: {
      result: 'failed',
      reason: `the deployment ended without reaching ${instances} healthy instance(s): ${
        app.tasksRunning ?? 0
      } running, ${app.tasksHealthy ?? 0} healthy${
        app.lastTaskFailure
          ? `; last task failure: ${app.lastTaskFailure.message}`
          : ''
      }`,
    },
  };
}

/**
 * Why a deployment timed out: where it was, what still runs, the last health
 * check failure, and (when Marathon stopped answering) that the outcome is
 * unknown; it may still finish.
 */
export function timeoutReason(input: {
  /** The app as Marathon shows it now; undefined when it is gone or did not answer. */
  app: MarathonAppInfo | undefined;
  client: Pick<MarathonClient, 'name' | 'describe'>;
  deploymentId: string;
  seconds: number;
  unreachableSince: number | undefined;
  lastStep: string | undefined;
  lastHealthFailure: string | undefined;
}): string {
  const { app, client, deploymentId, lastStep, lastHealthFailure } = input;
  let state = '';
  if (app) {
    state = `; ${app.tasksRunning ?? 0} of ${
      app.instances ?? 0
    } instance(s) running, ${app.tasksHealthy ?? 0} healthy`;
    if (app.lastTaskFailure)
      state += `; last task failure: ${app.lastTaskFailure.message}`;
  }
  const unknown =
    input.unreachableSince === undefined
      ? ''
      : `${client.describe()} has not answered since ${new Date(
          input.unreachableSince,
        ).toISOString()}, so the outcome is unknown; `;
  return `${unknown}Marathon deployment ${deploymentId} had not finished after ${
    input.seconds
  } s${lastStep ? ` (at ${lastStep})` : ''}${state}${
    lastHealthFailure ? `; last health check failure: ${lastHealthFailure}` : ''
  }; it may still finish: see /api/archon/marathon/${client.name}/deployments`;
}
