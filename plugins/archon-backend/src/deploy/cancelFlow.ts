import { ConflictError } from '@backstage/errors';
import type { ArchonDeployAdapter } from '@archon/plugin-archon-node';
import type { DeployFlow, DeployFlowView } from './DeployFlow';

/** What `POST /deployments/{id}/cancel` answers. */
export interface CancelResult {
  id: string;
  kind: DeployFlowView['kind'];
  instance: string;
  workloadId: string;
  /** The orchestrator's change that was stopped (e.g. the Marathon deployment id). */
  ref: Record<string, unknown>;
  force: boolean;
  /** The orchestrator's rollback of it (Marathon: a new deployment), unless `force`. */
  rollbackRef?: Record<string, unknown>;
  /** The flow's status when it was cancelled; a running one then ends `failed`, saying who cancelled it. */
  status: DeployFlowView['status'];
  cancelledBy: string;
}

/**
 * Cancels the orchestrator's change behind a flow: a running one (which then
 * fails, naming who cancelled it), or one archon stopped following at its
 * timeout while the orchestrator still carries it out. 409 when there is
 * nothing running to cancel.
 */
export async function cancelFlow(options: {
  view: DeployFlowView;
  /** This replica's live flow, when it runs it. */
  flow?: DeployFlow;
  adapter: ArchonDeployAdapter;
  actor: string;
  force?: boolean;
}): Promise<CancelResult> {
  const { view, flow, adapter, actor } = options;
  // Failed or timed out, the orchestrator may still carry the change out (the adapter checks).
  if (view.status === 'succeeded')
    throw new ConflictError(
      `${view.kind} ${view.id} already succeeded: nothing to cancel`,
    );
  if (!adapter.cancel)
    throw new ConflictError(
      `${adapter.kind} deploy targets cannot cancel a change`,
    );
  if (!view.ref)
    throw new ConflictError(
      `${view.kind} ${view.id} has no ${adapter.kind} change (yet) to cancel`,
    );
  if (flow?.running) flow.cancelledBy = actor;
  let rollbackRef: Record<string, unknown> | undefined;
  try {
    ({ rollbackRef } = await adapter.cancel(view.instance, view.ref, {
      force: options.force,
    }));
  } catch (error) {
    if (flow) flow.cancelledBy = undefined;
    throw error;
  }
  flow?.progress({
    type: 'warning',
    message: `Cancelled by ${actor}${
      options.force ? ' (force: no rollback)' : ''
    }${
      rollbackRef?.deploymentId
        ? `; ${adapter.kind} rolls back in deployment ${rollbackRef.deploymentId}`
        : ''
    }`,
    data: { cancelledBy: actor, rollbackRef },
  });
  return {
    id: view.id,
    kind: view.kind,
    instance: view.instance,
    workloadId: view.workloadId,
    ref: view.ref,
    force: !!options.force,
    rollbackRef,
    status: view.status,
    cancelledBy: actor,
  };
}

/** A cancelled flow's outcome says so first. */
export function cancelledOutcomeReason(
  flow: DeployFlow,
  reason: string | undefined,
): string | undefined {
  return flow.cancelledBy
    ? `cancelled by ${flow.cancelledBy}${reason ? `: ${reason}` : ''}`
    : reason;
}
