import {
  endStreamUnreachable,
  type ArchonEventStream,
} from '@archon/plugin-archon-node';
import type { DeployFlowView, DeployProgressEvent } from './DeployFlow';

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
export function relayProgress(
  stream: ArchonEventStream,
  flow: Pick<DeployFlowView, 'id' | 'kind' | 'instance' | 'targetKind'>,
) {
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
      ending = setImmediate(() => {
        const check = `GET /api/archon/deployments/${flow.id}`;
        const data = (event.data ?? {}) as {
          system?: string;
          instance?: string;
        };
        endStreamUnreachable(stream, {
          system: data.system ?? flow.targetKind,
          instance: data.instance ?? flow.instance,
          message: `${event.message}. The outcome of ${flow.kind} ${flow.id} is unknown until it answers again; archon keeps following it: check ${check} (archon deployments watch ${flow.id})`,
          deploymentId: flow.id,
          outcome: 'unknown',
          check,
        });
      });
    },
    onEnd(view: DeployFlowView): void {
      cancelEnd();
      stream.send('result', view);
      stream.close();
    },
  };
}
