import type {
  DeployFlow,
  DeployProgressEvent,
} from '@archon/plugin-archon-common';
import { CliError } from './errors';
import { ExitCode } from './exitCodes';
import { formatFields, type Colors } from './output';
import { interruptHandlers, type CliRuntime } from './runtime';
import { streamEndError, type SseEvent } from './sse';

/** How often a dropped progress stream is reopened before giving up. */
const RECONNECTS = 3;

/** HH:MM:SS of an ISO time (now when absent), as progress lines show it. */
export function clockTime(at: string | number | undefined): string {
  const d = at ? new Date(at) : new Date();
  return Number.isNaN(d.getTime()) ? '--:--:--' : d.toTimeString().slice(0, 8);
}

/** One progress event as a line: time, then the message colored by its type. */
export function formatProgress(
  event: DeployProgressEvent,
  colors: Colors,
): string {
  const data = (event.data ?? {}) as { alive?: boolean };
  let message = event.message;
  if (event.type === 'warning' || event.type === 'unreachable')
    message = colors.yellow(message);
  else if (event.type === 'health')
    message = data.alive ? colors.green(message) : colors.red(message);
  else if (event.type === 'step') message = colors.bold(message);
  return `${colors.dim(clockTime(event.at))}  ${message}`;
}

/**
 * Sends a deploy, rollback or app operation asking for its progress as
 * Server-Sent Events (`accepted`, `progress`…, `result`), prints each step as
 * it arrives, and returns the finished flow with its progress. A dropped
 * connection is resumed from `/deployments/{id}/events?after=<last seq>`, so
 * no step is printed twice or lost. Ctrl-C stops following (exit 130); the
 * change itself goes on in the backend. When archon ends the stream because
 * the orchestrator stopped answering (`error`), its message (the outcome is
 * unknown, and how to check it) goes to stderr and the exit code is 6.
 */
export async function followFlow(
  rt: CliRuntime,
  start: { path: string; method?: string; body?: unknown },
  /** A flow already known (`deployments watch`), whose stream sends no `accepted`. */
  known?: DeployFlow,
): Promise<DeployFlow> {
  const { colors } = rt.out;
  const progress: DeployProgressEvent[] = [];
  // Steps go to stdout for humans, to stderr when stdout is one JSON/YAML document.
  const show = (text: string) =>
    rt.out.machine ? rt.out.info(text) : rt.out.line(text);
  let flow: DeployFlow | undefined = known;
  let result: DeployFlow | undefined;
  /** archon ended the stream: the orchestrator stopped answering (exit 6). */
  let unreachable: CliError | undefined;
  const abort = new AbortController();
  const stop = () => abort.abort();
  interruptHandlers.push(stop);

  const consume = (event: SseEvent) => {
    unreachable = streamEndError(event) ?? unreachable;
    if (unreachable) return;
    const data = JSON.parse(event.data);
    if (event.event === 'accepted') {
      flow = data as DeployFlow;
      show(
        colors.dim(
          `${flow.kind} ${flow.id}: ${flow.configPath} → ${flow.workloadId} on ${flow.instance}`,
        ),
      );
    } else if (event.event === 'progress') {
      const p = data as DeployProgressEvent;
      if (progress.length && p.seq <= progress[progress.length - 1].seq) return;
      progress.push(p);
      show(formatProgress(p, colors));
    } else if (event.event === 'result') {
      result = data as DeployFlow;
    }
  };

  try {
    let request = start;
    for (let attempt = 0; ; attempt++) {
      try {
        for await (const event of rt.api.stream(request.path, {
          method: request.method ?? 'POST',
          body: request.body,
          signal: abort.signal,
        }))
          consume(event);
      } catch (error) {
        // Errors before anything was accepted (409, 422, ...) are the answer.
        if (!flow || attempt >= RECONNECTS) throw error;
      }
      // The change goes on in archon; its outcome is unknown for now.
      if (unreachable) throw unreachable;
      if (result || abort.signal.aborted) break;
      if (!flow)
        throw new CliError(
          'archon ended the progress stream before accepting the change',
        );
      if (attempt >= RECONNECTS)
        throw new CliError(
          `lost the progress of ${flow.kind} ${flow.id}; it goes on in archon: archon deployments watch ${flow.id}`,
          ExitCode.Unreachable,
        );
      rt.out.warn('progress stream dropped; reconnecting');
      // A moment's pause, longer each time, so a restarting backend is not hammered.
      await new Promise(resolve => setTimeout(resolve, 500 * (attempt + 1)));
      const after = progress.length ? progress[progress.length - 1].seq : 0;
      request = {
        path: `/deployments/${encodeURIComponent(
          flow.id,
        )}/events?after=${after}`,
        method: 'GET',
      };
    }
  } finally {
    interruptHandlers.splice(interruptHandlers.indexOf(stop), 1);
  }
  if (!result) {
    const id = flow?.id;
    throw new CliError(
      id
        ? `stopped following ${id}; the change goes on in archon (archon deployments watch ${id})`
        : 'cancelled',
      ExitCode.Interrupted,
    );
  }
  return { ...(result as DeployFlow), progress };
}

/**
 * Prints a finished flow and turns its outcome into the exit code: 0 when
 * it succeeded, 10 when it failed, 11 when archon stopped waiting (timeout).
 * `summary` adds a line for humans on success (e.g. healthy instances).
 */
export function reportFlow(
  rt: CliRuntime,
  flow: DeployFlow,
  summary?: string,
): void {
  const { colors } = rt.out;
  const reason = flow.outcome?.reason;
  rt.out.result(flow, () =>
    flow.status === 'succeeded'
      ? `${colors.green('✓')} ${flow.kind} ${flow.id} succeeded: ${
          flow.workloadId
        } on ${flow.instance}${summary ? ` (${summary})` : ''}`
      : undefined,
  );
  if (flow.status === 'succeeded') return;
  if (flow.status === 'running') {
    throw new CliError(`${flow.kind} ${flow.id} is still running`);
  }
  const details = flow.outcome?.details
    ? formatFields(
        Object.entries(flow.outcome.details).map(([k, v]) => [
          `  ${k}`,
          typeof v === 'string' ? v : JSON.stringify(v),
        ]),
      ).split('\n')
    : [];
  if (flow.status === 'timeout')
    throw new CliError(
      `${flow.kind} ${flow.id} timed out${reason ? `: ${reason}` : ''}`,
      ExitCode.DeployTimeout,
      details,
    );
  throw new CliError(
    `${flow.kind} ${flow.id} failed${reason ? `: ${reason}` : ''}`,
    ExitCode.DeployFailed,
    details,
  );
}

/**
 * A flow accepted without waiting (`--no-wait`): print it and how to follow it.
 */
export function reportAccepted(rt: CliRuntime, flow: DeployFlow): void {
  rt.out.result(
    flow,
    () =>
      `${flow.kind} ${flow.id} accepted: ${flow.workloadId} on ${
        flow.instance
      }\n${rt.out.colors.dim(
        `follow it with: archon deployments watch ${flow.id}`,
      )}`,
  );
}
