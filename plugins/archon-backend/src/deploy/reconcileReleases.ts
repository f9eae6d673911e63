import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ArchonDeployAdapter,
  ArchonDeployTarget,
  ArchonWorkloadStatus,
} from '@archon/plugin-archon-node';
import type { ConfigService } from '../config/ConfigService';
import type { DeployFlowView } from './DeployFlow';
import type { DeployFlowStore } from './store/DeployFlowStore';
import type { DeployLockStore } from './store/DeployLockStore';
import { viewOfRelease } from './releaseViews';

export interface ReconcileDeps {
  config: ConfigService;
  targets: ReadonlyMap<
    string,
    { target: ArchonDeployTarget; adapter: ArchonDeployAdapter }
  >;
  locks: DeployLockStore;
  flowStore: DeployFlowStore;
  logger: LoggerService;
  replicaId: string;
}

/**
 * Settles releases a stopped run of archon left `created` or `deploying`
 * (it stopped while following them), from what the orchestrator shows now:
 * `deployed` only when the workload runs that very release with all its
 * instances up; `failed` when it runs something else or is gone. Releases
 * whose app is locked by a live replica (this one or another, whose lease
 * has not run out) are that replica's to finish; those whose target cannot
 * be asked now (unknown, unreachable, still deploying) are left for the
 * next start. Stored flows that no live replica follows any more are
 * settled too.
 */
export async function reconcileReleases(
  deps: ReconcileDeps,
): Promise<{ deployed: string[]; failed: string[] }> {
  const result = { deployed: [] as string[], failed: [] as string[] };
  const open = [
    ...(await deps.config.listReleases({ status: 'deploying', limit: 500 })),
    ...(await deps.config.listReleases({ status: 'created', limit: 500 })),
  ];
  for (const release of open) {
    const target = release.target as { instance?: string; workloadId?: string };
    const found = target.instance
      ? deps.targets.get(target.instance)
      : undefined;
    if (!found || !target.workloadId) continue;
    if (
      await deps.locks.live({
        instance: target.instance!,
        workloadId: target.workloadId,
      })
    )
      continue;
    let status: ArchonWorkloadStatus;
    try {
      status = await found.adapter.status({
        instance: target.instance!,
        id: target.workloadId,
      });
    } catch (error) {
      deps.logger.warn(
        `archon: cannot settle release ${release.id} now: ${
          (error as Error).message
        }`,
      );
      continue;
    }
    const finishedAt = new Date().toISOString();
    if (status.exists && status.releaseId === release.id) {
      if (status.deployments.length > 0) continue;
      const up = status.running >= status.instances && status.unhealthy === 0;
      await deps.config.setReleaseStatus(
        release.id,
        up ? 'deployed' : 'failed',
        {
          ...(release.outcome ?? {}),
          result: up ? 'succeeded' : 'failed',
          reason: up
            ? 'confirmed after archon restarted while following it'
            : `archon restarted while following it; now ${status.running} of ${status.instances} running, ${status.unhealthy} unhealthy`,
          finishedAt,
        },
      );
      (up ? result.deployed : result.failed).push(release.id);
    } else {
      await deps.config.setReleaseStatus(release.id, 'failed', {
        ...(release.outcome ?? {}),
        result: 'failed',
        reason: status.exists
          ? `archon restarted while following it, and ${status.id} now runs ${
              status.releaseId
                ? `release ${status.releaseId}`
                : 'a definition archon did not deploy'
            }`
          : `archon restarted while following it, and ${status.id} no longer exists`,
        finishedAt,
      });
      result.failed.push(release.id);
    }
  }
  if (result.deployed.length || result.failed.length) {
    deps.logger.info(
      `archon: settled releases left open by a stopped run: deployed ${
        result.deployed.join(', ') || 'none'
      }, failed ${result.failed.join(', ') || 'none'}`,
    );
  }
  await settleAbandonedFlows(deps);
  return result;
}

/** Stored flows still `running` whose lock no live replica holds: a deploy takes its settled release's outcome, an operation fails. */
async function settleAbandonedFlows(deps: ReconcileDeps): Promise<void> {
  for (const view of await deps.flowStore.list({
    status: 'running',
    limit: 500,
  })) {
    const lock = await deps.locks.live({
      instance: view.instance,
      workloadId: view.workloadId,
    });
    if (lock?.flowId === view.id) continue;
    let settled: DeployFlowView;
    if (view.releaseId) {
      const release = await deps.config
        .getRelease(view.releaseId)
        .catch(() => undefined);
      if (
        !release ||
        release.status === 'created' ||
        release.status === 'deploying'
      )
        continue;
      const fromRelease = viewOfRelease(release);
      settled = {
        ...view,
        status: fromRelease.status,
        outcome: fromRelease.outcome,
        finishedAt: fromRelease.finishedAt,
      };
    } else {
      settled = {
        ...view,
        status: 'failed',
        finishedAt: new Date().toISOString(),
        outcome: {
          result: 'failed',
          reason: `the backend replica that followed this ${view.kind} stopped before it finished; see the app's status for what happened`,
        },
      };
    }
    await deps.flowStore.save(settled, deps.replicaId);
  }
}
