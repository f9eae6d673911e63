import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  UpstreamTimeoutError,
  type ArchonChangeHandle,
} from '@archon/plugin-archon-node';
import type { DeployFlow } from './DeployFlow';
import type { DeployFlowStore } from './store/DeployFlowStore';
import type { DeployLocks } from './DeployLocks';
import { FlowRecorder } from './FlowRecorder';
import { cancelledOutcomeReason } from './cancelFlow';
import { untilStored } from '../database/untilStored';
import { outsideRequestScope } from '../database/DatabaseDeadline';

/**
 * The orchestrator accepted the change: names its ids in the lock (so a 409
 * on any replica names them) and stores the flow (so any replica can show
 * it). Then, in the background, waits for the outcome, records it on the
 * release and the stored flow, unlocks, and only then ends the flow: whoever
 * awaits the flow, on any replica, sees the outcome stored and the app free
 * for the next change. When archon's database does not take the outcome,
 * the flow still ends (the change happened), but with
 * {@link DeployFlow.unrecorded} set: callers waiting for it get 503/504
 * naming the database instead of a 2xx, and the record is written once the
 * database answers ({@link untilStored}).
 */
export function followChange(options: FollowOptions): Promise<void> {
  // The follow-up outlives the request that started the change: its
  // database calls are not held to what is left of the request's deadline.
  return outsideRequestScope(() => follow(options));
}

interface FollowOptions {
  flow: DeployFlow;
  handle: ArchonChangeHandle;
  record?: (outcome: Awaited<ArchonChangeHandle['done']>) => Promise<void>;
  flowStore: DeployFlowStore;
  locks: DeployLocks;
  replicaId: string;
  logger: LoggerService;
}

async function follow(options: FollowOptions): Promise<void> {
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
    // The release first, then the stored flow (what other replicas and the
    // next deploy's kept scale read).
    const store = async () => {
      await record?.(outcome);
      await recorder.finish({
        ...flow.view(false),
        status: outcome.result,
        outcome,
        finishedAt,
      });
    };
    try {
      await store();
    } catch (error) {
      // The change happened whatever the database says: callers get a
      // 503/504 saying so instead of the outcome, and the record is written
      // once the database answers.
      flow.unrecorded = outcomeNotRecorded(flow, outcome.result, error);
      logger.error(
        `archon: could not record the outcome (${outcome.result}) of ${flow.kind} ${flow.id}; retrying until archon's database answers: ${error}`,
      );
      untilStored(store, {
        logger,
        what: `the outcome of ${flow.kind} ${flow.id}`,
      }).then(() => {
        flow.unrecorded = undefined;
      });
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

/** 503/504 naming archon's database, saying what happened on the orchestrator and where to look. */
function outcomeNotRecorded(
  flow: DeployFlow,
  result: string,
  error: unknown,
): Error {
  const timedOut = error instanceof UpstreamTimeoutError;
  const message = `archon's database ${
    timedOut ? 'did not answer in time' : 'is not reachable'
  } (while recording the outcome of ${flow.kind} ${flow.id}): the ${
    flow.kind
  } of ${flow.workloadId} on ${
    flow.instance
  } ended ${result}, but its record is not stored yet; archon stores it as soon as the database answers. Check: GET /api/archon/deployments/${
    flow.id
  }`;
  return timedOut
    ? new UpstreamTimeoutError(message)
    : new ServiceUnavailableError(message);
}
