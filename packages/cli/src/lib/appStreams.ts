import type { MarathonTaskLog } from '@archon/plugin-archon-common';
import type { AppRef } from './appLookup';
import { describeMarathonEvent } from './appsFormat';
import { clockTime } from './deployFollow';
import { CliError } from './errors';
import { interruptHandlers, type CliRuntime } from './runtime';
import { streamEndError } from './sse';

/** Prints the app's events as they arrive (SSE) until Ctrl-C. */
export async function followEvents(rt: CliRuntime, ref: AppRef): Promise<void> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  interruptHandlers.push(stop);
  const { colors } = rt.out;
  try {
    for await (const event of rt.api.stream(
      `/marathon/${encodeURIComponent(ref.instance)}/apps/${encodeURIComponent(
        ref.app.id.slice(1),
      )}/events`,
      { signal: abort.signal },
    )) {
      const ended = streamEndError(event);
      if (ended) throw ended;
      const data = JSON.parse(event.data) as Record<string, any>;
      if (event.event === 'attached') {
        rt.out.info(
          colors.dim(
            `following ${ref.app.id} on ${ref.instance}; Ctrl-C to stop`,
          ),
        );
        continue;
      }
      rt.out.record(
        { event: event.event, ...data },
        () =>
          `${colors.dim(clockTime(data.timestamp))}  ${
            event.event
          }  ${describeMarathonEvent(event.event, data)}`,
      );
    }
  } finally {
    interruptHandlers.splice(interruptHandlers.indexOf(stop), 1);
  }
}

/** Prints a task's log as it grows (SSE `log` events) until Ctrl-C or the stream ends. */
export async function followLog(
  rt: CliRuntime,
  instance: string,
  appId: string,
  taskId: string,
  file: 'stdout' | 'stderr',
  tail: number | undefined,
): Promise<void> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  interruptHandlers.push(stop);
  const query = new URLSearchParams({ file, follow: 'true' });
  if (tail !== undefined) query.set('tail', String(tail));
  try {
    for await (const event of rt.api.stream(
      `/marathon/${encodeURIComponent(instance)}/apps/${encodeURIComponent(
        appId,
      )}/tasks/${encodeURIComponent(taskId)}/logs?${query}`,
      { signal: abort.signal },
    )) {
      const ended = streamEndError(event);
      if (ended) throw ended;
      const data = JSON.parse(event.data);
      if (event.event === 'log') {
        const chunk = data as Pick<
          MarathonTaskLog,
          'offset' | 'nextOffset' | 'data'
        >;
        if (rt.out.machine) rt.out.record(chunk, () => '');
        else rt.io.stdout.write(chunk.data);
      } else if (event.event === 'end') {
        throw new CliError(
          `the log of ${taskId} ended: ${
            (data as { reason?: string }).reason ?? 'no reason given'
          }`,
        );
      }
    }
  } finally {
    interruptHandlers.splice(interruptHandlers.indexOf(stop), 1);
  }
}
