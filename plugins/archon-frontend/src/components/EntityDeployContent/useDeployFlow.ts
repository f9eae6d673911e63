import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  DeployFlow,
  DeployProgressEvent,
  TypedResponse,
} from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { readEventStream, type ServerSentEvent } from '../../lib/sse';

/** One action the page runs (deploy, rollback, scale, ...), as the user named it. */
export interface FlowRun {
  /** e.g. "Deploy /team/svc-1 to local". */
  title: string;
  /** `unreachable`: the orchestrator stopped answering; the flow goes on, its outcome unknown. */
  phase: 'starting' | 'running' | 'finished' | 'error' | 'unreachable';
  flow?: DeployFlow;
  events: DeployProgressEvent[];
  /** The request was refused or the progress could not be followed. */
  error?: Error;
  /** With `unreachable`: archon's message naming the system and how to check the outcome. */
  unreachable?: string;
}

/** How often to re-attach to a flow's events when the stream ends before its result. */
const MAX_REATTACH = 5;

/**
 * Runs deploys and operations one at a time and follows each to its end:
 * the request answers 202 with the flow, then its progress streams from
 * `/deployments/{id}/events` (Server-Sent Events through the fetchApi) until
 * the `result` event.
 */
export function useDeployFlow(onFinished?: (flow: DeployFlow) => void) {
  const api = useApi(archonApiRef);
  const [run, setRun] = useState<FlowRun>();
  const abort = useRef<AbortController>();
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => () => abort.current?.abort(), []);

  const follow = useCallback(
    async (flow: DeployFlow, signal: AbortSignal) => {
      const seen = {
        lastSeq: Math.max(0, ...(flow.progress ?? []).map(e => e.seq)),
        result: undefined as DeployFlow | undefined,
        unreachable: undefined as string | undefined,
      };
      const onEvent = ({ event, data }: ServerSentEvent) => {
        if (event === 'progress') {
          const e = data as DeployProgressEvent;
          if (e.seq <= seen.lastSeq) return;
          seen.lastSeq = e.seq;
          setRun(r => (r ? { ...r, events: [...r.events, e] } : r));
        } else if (event === 'result') {
          seen.result = data as DeployFlow;
        } else if (event === 'error') {
          // archon ended the stream: the orchestrator stopped answering.
          const message = (data as { message?: unknown })?.message;
          seen.unreachable =
            typeof message === 'string' ? message : String(data);
        }
      };
      for (
        let attempt = 0;
        attempt < MAX_REATTACH && !seen.result && !seen.unreachable;
        attempt++
      ) {
        await readEventStream(
          api.streamDeploymentEvents({
            path: { id: flow.id },
            query: { after: seen.lastSeq },
          }),
          onEvent,
          signal,
        );
        if (signal.aborted) return undefined;
      }
      if (seen.unreachable) {
        setRun(r =>
          r ? { ...r, phase: 'unreachable', unreachable: seen.unreachable } : r,
        );
        return undefined;
      }
      return (
        seen.result ?? unwrap(api.getDeployment({ path: { id: flow.id } }))
      );
    },
    [api],
  );

  const start = useCallback(
    async (title: string, request: () => Promise<TypedResponse<unknown>>) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setRun({ title, phase: 'starting', events: [] });
      try {
        const flow = (await unwrap(request())) as DeployFlow;
        if (controller.signal.aborted) return;
        setRun({
          title,
          phase: flow.status === 'running' ? 'running' : 'finished',
          flow,
          events: flow.progress ?? [],
        });
        const result =
          flow.status === 'running'
            ? await follow(flow, controller.signal)
            : flow;
        if (!result || controller.signal.aborted) return;
        setRun(r => ({
          title,
          phase: 'finished',
          flow: result,
          events: mergeEvents(r?.events ?? [], result.progress ?? []),
        }));
        finished.current?.(result);
      } catch (error) {
        if (controller.signal.aborted) return;
        setRun(r => ({
          title,
          phase: 'error',
          flow: r?.flow,
          events: r?.events ?? [],
          error: error as Error,
        }));
      }
    },
    [follow],
  );

  const busy = run?.phase === 'starting' || run?.phase === 'running';
  return { run, start, busy, clear: () => setRun(undefined) };
}

/** The events of both lists once each, by sequence number. */
export function mergeEvents(
  a: DeployProgressEvent[],
  b: DeployProgressEvent[],
): DeployProgressEvent[] {
  const bySeq = new Map<number, DeployProgressEvent>();
  for (const e of [...a, ...b]) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}
