import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ArchonChangeHandle } from '@archon/plugin-archon-node';
import type { DeployFlow } from './DeployFlow';
import type { DeployFlowStore } from './store/DeployFlowStore';
import type { DeployLocks } from './DeployLocks';
import { FlowRecorder } from './FlowRecorder';
import { cancelledOutcomeReason } from './cancelFlow';

/**
 * The orchestrator accepted the change: names its ids in the lock (so a 409
 * on any replica names them) and stores the flow (so any replica can show
 * it). Then, in the background, waits for the outcome, records it on the
 * release and the stored flow, unlocks, and only then ends the flow: whoever
 * awaits the flow, on any replica, sees the outcome stored and the app free
 * for the next change.
 */
export async function followChange(options: {
  flow: DeployFlow;
  handle: ArchonChangeHandle;
  record?: (outcome: Awaited<ArchonChangeHandle['done']>) => Promise<void>;
  flowStore: DeployFlowStore;
  locks: DeployLocks;
  replicaId: string;
  logger: LoggerService;
}): Promise<void> {
  const { flow, handle, record, logger } = options;
  flow.ref = handle.ref;
  const recorder = new FlowRecorder({
    store: options.flowStore,
    flow,
    holder: options.replicaId,
    logger,
  });
  try {
    await options.locks.setRef(flow, handle.ref);
    await recorder.start();
  } catch (error) {
    // The change is under way whatever the database says; this replica still follows it.
    logger.error(
      `archon: could not store ${flow.kind} ${flow.id} for other replicas: ${error}`,
    );
  }
  const end = async (finalOutcome: Awaited<ArchonChangeHandle['done']>) => {
    const outcome = {
      ...finalOutcome,
      reason: cancelledOutcomeReason(flow, finalOutcome.reason),
    };
    const finishedAt = new Date().toISOString();
    try {
      await record?.(outcome);
    } catch (error) {
      logger.error(
        `archon: could not record the outcome of ${flow.kind} ${flow.id}: ${error}`,
      );
    }
    try {
      await recorder.finish({
        ...flow.view(false),
        status: outcome.result,
        outcome,
        finishedAt,
      });
    } catch (error) {
      logger.error(
        `archon: could not store the outcome of ${flow.kind} ${flow.id}: ${error}`,
      );
    }
    await options.locks.unlock(flow);
    flow.finish(outcome, finishedAt);
  };
  handle.done
    .then(end, error =>
      end({
        result: 'failed',
        reason: `archon lost track of the change: ${(error as Error).message}`,
      }),
    )
    .catch(error =>
      logger.error(`archon: could not end ${flow.kind} ${flow.id}: ${error}`),
    );
}
