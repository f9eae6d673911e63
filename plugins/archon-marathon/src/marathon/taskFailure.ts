import {
  DEFAULT_SECRET_KEY_PATTERNS,
  isSecretKey,
  SECRET_MASK,
} from '@archon/plugin-archon-common';
import type { MarathonClient } from '../client/MarathonClient';
import { sandboxOf } from '../client/mesosAgent';
import type { MarathonApp, MarathonTaskFailure } from '../client/types';
import { ARCHON_LABELS } from '../render/renderApp';

/** The most of a failed task's stderr an outcome quotes. */
export const STDERR_TAIL_BYTES = 4096;

/** A task of the app that ended badly while a change was followed. */
export interface FailedTask {
  taskId: string;
  state: string;
  /** The executor's words, e.g. `Command exited with status 3`. */
  message: string;
  host?: string;
  version?: string;
  at?: string;
  /** Killed by Marathon because it failed its health checks. */
  healthKill?: boolean;
}

/** Terminal task states that count as a failure (Marathon's `TaskFailure.isFailureState`). */
const FAILURE_STATES = new Set([
  'TASK_FAILED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
]);

/** Whether a task status update is a failure; health-check kills count too. */
export function isTaskFailure(
  state: string,
  message: string | undefined,
): boolean {
  return (
    FAILURE_STATES.has(state) ||
    (state === 'TASK_KILLED' && /health check/i.test(message ?? ''))
  );
}

/** An app's `lastTaskFailure` (Marathon's REST view) as a failed task; a health check kill when its message says so. */
export function failedTaskOfApp(failure: MarathonTaskFailure): FailedTask {
  return {
    taskId: failure.taskId,
    state: failure.state,
    message: failure.message,
    host: failure.host,
    version: failure.version,
    at: failure.timestamp,
    healthKill: /health check/i.test(failure.message),
  };
}

/** The exit status in a Mesos executor message, when it gives one. */
export function exitStatusOf(message: string): number | undefined {
  const match = /exited with status (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/**
 * Replaces the values of the app's secret environment variables (those
 * archon listed in ARCHON_SECRET_ENV, or named like a secret by the
 * configured `archon.secrets.keyPatterns`) in text a task wrote, so an
 * outcome quoting stderr never shows them.
 */
export function maskSecretsIn(
  text: string,
  app: Pick<MarathonApp, 'env' | 'labels'> | undefined,
  secretPatterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): string {
  const listed = new Set(
    (app?.labels?.[ARCHON_LABELS.secretEnv] ?? '').split(',').filter(Boolean),
  );
  let masked = text;
  for (const [name, value] of Object.entries(app?.env ?? {})) {
    if (typeof value !== 'string' || value.length < 3) continue;
    if (!listed.has(name) && !isSecretKey(name, secretPatterns)) continue;
    masked = masked.split(value).join(SECRET_MASK);
  }
  return masked;
}

/**
 * The last lines of a finished task's stderr (at most {@link STDERR_TAIL_BYTES}),
 * read like any client of a real cluster: the task's host → its Mesos agent →
 * the agent's `/state` → the executor's sandbox → `/files/read`. Undefined
 * when the sandbox is gone or the agent cannot be asked.
 */
export async function stderrTail(
  client: MarathonClient,
  task: { taskId: string; host?: string },
  app?: Pick<MarathonApp, 'env' | 'labels'>,
  secretPatterns?: readonly string[],
): Promise<string | undefined> {
  if (!task.host) return undefined;
  try {
    const agentUrl = client.agentUrl(task.host);
    const directory = sandboxOf(await client.agentState(agentUrl), task.taskId);
    if (!directory) return undefined;
    const file = `${directory}/stderr`;
    const { offset: size } = await client.filesRead(agentUrl, file, -1);
    const start = Math.max(0, size - STDERR_TAIL_BYTES);
    const { data } = await client.filesRead(
      agentUrl,
      file,
      start,
      size - start,
    );
    // A cut first line is dropped, so the quote starts at a line's beginning.
    const text =
      start > 0 && data.includes('\n')
        ? data.slice(data.indexOf('\n') + 1)
        : data;
    return maskSecretsIn(text.trimEnd(), app, secretPatterns);
  } catch {
    return undefined;
  }
}

/** `3 tasks of version … exited with status 3 (…); last stderr: "boom"`; `stderr` undefined when it could not be read. */
export function describeCrashLoop(
  failures: FailedTask[],
  stderr: string | undefined,
): string {
  const last = failures[failures.length - 1];
  const versions = [...new Set(failures.map(f => f.version).filter(Boolean))];
  const of = versions.length === 1 ? ` of version ${versions[0]}` : '';
  const status = exitStatusOf(last.message);
  let what = status !== undefined ? `exited with status ${status}` : 'failed';
  if (last.healthKill) what = 'were killed for failing their health checks';
  const count =
    failures.length === 1
      ? `task ${last.taskId}${of}`
      : `${failures.length} tasks${of}`;
  let quoted = '; its stderr could not be read';
  if (stderr === '') quoted = '; its stderr is empty';
  else if (stderr !== undefined) quoted = `; last stderr: "${stderr}"`;
  return `${count} ${
    failures.length === 1 ? what.replace(/^were/, 'was') : what
  } (last: ${last.state} "${last.message}")${quoted}`;
}
