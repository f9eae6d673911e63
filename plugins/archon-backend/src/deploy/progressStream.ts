import { ServiceUnavailableError } from '@backstage/errors';
import {
  endStreamUnreachable,
  type ArchonEventStream,
} from '@archon/plugin-archon-node';
import type {
  DeployFlow,
  DeployFlowView,
  DeployProgressEvent,
} from './DeployFlow';

type FlowIdentity = Pick<
  DeployFlowView,
  'id' | 'kind' | 'instance' | 'targetKind'
>;

/** What archon says when the orchestrator stops answering during a flow: the outcome is unknown, and where to check it. */
function unknownOutcome(flow: FlowIdentity, event: DeployProgressEvent) {
  const check = `GET /api/archon/deployments/${flow.id}`;
  const data = (event.data ?? {}) as { system?: string; instance?: string };
  return {
    system: data.system ?? flow.targetKind,
    instance: data.instance ?? flow.instance,
    message: `${event.message}. The outcome of ${flow.kind} ${flow.id} is unknown until it answers again; archon keeps following it: check ${check} (archon deployments watch ${flow.id})`,
    deploymentId: flow.id,
    outcome: 'unknown' as const,
    check,
  };
}

/**
 * Watches a flow's progress for the orchestrator going silent: calls
 * `onUnreachable` for an `unreachable` event that no `reachable` follows. A
 * replay delivers old events in one go, and an `unreachable` followed by a
 * `reachable` in the same batch is history, so the call waits one tick.
 */
function watchUnreachable(onUnreachable: (event: DeployProgressEvent) => void) {
  let ending: NodeJS.Immediate | undefined;
  const cancel = () => {
    if (ending) clearImmediate(ending);
    ending = undefined;
  };
  return {
    see(event: DeployProgressEvent): void {
      if (event.type === 'reachable') cancel();
      if (event.type !== 'unreachable') return;
      cancel();
      ending = setImmediate(() => onUnreachable(event));
    },
    cancel,
  };
}

/**
 * Relays a flow's progress to a Server-Sent Events stream (`progress`…, then
 * `result`) and ends the stream with the shared `error` frame as soon as the
 * orchestrator stops answering, so a client never watches a silent stream
 * (#22). The flow goes on: its outcome is unknown until the orchestrator
 * answers, and the frame says where to check it.
 */
export function relayProgress(stream: ArchonEventStream, flow: FlowIdentity) {
  const silence = watchUnreachable(event =>
    endStreamUnreachable(stream, unknownOutcome(flow, event)),
  );
  stream.onClose(silence.cancel);
  return {
    onProgress(event: DeployProgressEvent): void {
      stream.send('progress', event);
      silence.see(event);
    },
    onEnd(view: DeployFlowView): void {
      silence.cancel();
      stream.send('result', view);
      stream.close();
    },
  };
}

/**
 * The JSON answer of a deploy asked with `wait`: resolves once the outcome is
 * recorded, and rejects with 503 (the outcome is unknown, where to check it)
 * as soon as the orchestrator stops answering, like the stream's end, so a
 * waiting caller is not held until the deploy's own timeout (#22).
 */
export function recordedOrUnreachable(flow: DeployFlow): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    // Set just below; the watcher calls back a tick after an event at the earliest.
    let unsubscribe: () => void = () => undefined;
    const silence = watchUnreachable(event => {
      unsubscribe();
      reject(new ServiceUnavailableError(unknownOutcome(flow, event).message));
    });
    unsubscribe = flow.subscribe(0, silence.see, silence.cancel);
    const settle = () => {
      silence.cancel();
      unsubscribe();
    };
    flow.recorded().then(
      () => {
        settle();
        resolve();
      },
      error => {
        settle();
        reject(error);
      },
    );
  });
}
