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
 * Relays a flow's progress to a Server-Sent Events stream (`progress`…, then
 * `result`) and ends the stream with the shared `error` frame as soon as the
 * orchestrator stops answering (a progress event of type `unreachable` that
 * no `reachable` follows), so a client never watches a silent stream (#22).
 * The flow goes on: its outcome is unknown until the orchestrator answers,
 * and the frame says where to check it.
 *
 * A replay delivers old events in one go: an `unreachable` followed by a
 * `reachable` in the same batch is history, so the end waits one tick.
 */
export function relayProgress(stream: ArchonEventStream, flow: FlowIdentity) {
  let ending: NodeJS.Immediate | undefined;
  const cancelEnd = () => {
    if (ending) clearImmediate(ending);
    ending = undefined;
  };
  stream.onClose(cancelEnd);
  return {
    onProgress(event: DeployProgressEvent): void {
      stream.send('progress', event);
      if (event.type === 'reachable') cancelEnd();
      if (event.type !== 'unreachable') return;
      cancelEnd();
      ending = setImmediate(() =>
        endStreamUnreachable(stream, unknownOutcome(flow, event)),
      );
    },
    onEnd(view: DeployFlowView): void {
      cancelEnd();
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
    let ending: NodeJS.Immediate | undefined;
    const cancelEnd = () => {
      if (ending) clearImmediate(ending);
      ending = undefined;
    };
    const unsubscribe = flow.subscribe(
      0,
      event => {
        if (event.type === 'reachable') cancelEnd();
        if (event.type !== 'unreachable') return;
        cancelEnd();
        ending = setImmediate(() => {
          unsubscribe();
          reject(
            new ServiceUnavailableError(unknownOutcome(flow, event).message),
          );
        });
      },
      () => cancelEnd(),
    );
    flow.recorded().then(
      () => {
        cancelEnd();
        unsubscribe();
        resolve();
      },
      error => {
        cancelEnd();
        unsubscribe();
        reject(error);
      },
    );
  });
}
