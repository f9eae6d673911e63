import type { MarathonTask } from '@archon/plugin-archon-common';
import type { AppRef } from '../../../lib/appLookup';
import { CliError } from '../../../lib/errors';
import { ExitCode } from '../../../lib/exitCodes';
import type { CliRuntime } from '../../../lib/runtime';

/** An app's tasks and last task failure, as `GET .../apps/{appId}/tasks` returns them. */
export async function readTasks(rt: CliRuntime, ref: AppRef) {
  return rt.api.call((c, o) =>
    c.marathonListTasks(
      {
        path: { instance: ref.instance, appId: ref.app.id.slice(1) },
        query: {},
      },
      o,
    ),
  );
}

/** The app's finished tasks whose sandboxes are still kept, newest first. */
export async function readFinishedTasks(
  rt: CliRuntime,
  ref: AppRef,
  limit: number,
) {
  return rt.api.call((c, o) =>
    c.marathonListTasks(
      {
        path: { instance: ref.instance, appId: ref.app.id.slice(1) },
        query: { state: 'terminated', limit },
      },
      o,
    ),
  );
}

/**
 * A finished task to read logs of: `taskId`, or the most recent one
 * (`apps logs --previous`). 404 when the agent no longer keeps it.
 */
export async function pickFinishedTask(
  rt: CliRuntime,
  ref: AppRef,
  taskId?: string,
): Promise<MarathonTask> {
  const finished = await readFinishedTasks(rt, ref, 500);
  const task = taskId
    ? finished.items.find(t => t.id === taskId)
    : finished.items[0];
  if (!task)
    throw new CliError(
      taskId
        ? `${ref.app.id} on ${ref.instance} has no task ${taskId}, running or finished (finished tasks' sandboxes are kept for a while only)`
        : `${ref.app.id} on ${ref.instance} has no finished task whose sandbox is still kept`,
      ExitCode.NotFound,
      ['  archon apps tasks <app> --all lists running and finished tasks'],
    );
  return task;
}
