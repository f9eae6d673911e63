import { InputError } from '@backstage/errors';
import type { Release } from './store/ReleaseStore';
import type { DeployFlow, DeployFlowView } from './DeployFlow';

export function lockOf(flow: DeployFlow) {
  return { instance: flow.instance, workloadId: flow.workloadId };
}

export function instanceOf(release: Release): string {
  const instance = release.target?.instance;
  if (typeof instance !== 'string') {
    throw new InputError(
      `Release ${release.id} does not say where it was deployed; give "instance"`,
    );
  }
  return instance;
}

export function viewOfRelease(release: Release): DeployFlowView {
  const outcome = release.outcome as
    | {
        result?: 'succeeded' | 'failed' | 'timeout' | 'refused';
        reason?: string;
        details?: Record<string, unknown>;
        ref?: Record<string, unknown>;
        finishedAt?: string;
      }
    | undefined;
  const statuses: Record<Release['status'], DeployFlowView['status']> = {
    created: 'running',
    deploying: 'running',
    deployed: 'succeeded',
    failed: 'failed',
  };
  const status = statuses[release.status];
  const target = release.target as {
    kind?: string;
    instance?: string;
    workloadId?: string;
    rollbackOf?: string;
  };
  return {
    id: release.id,
    kind: target.rollbackOf ? 'rollback' : 'deploy',
    status:
      status === 'failed' && outcome?.result === 'timeout' ? 'timeout' : status,
    instance: target.instance ?? '',
    targetKind: target.kind ?? '',
    workloadId: target.workloadId ?? '',
    configPath: release.path,
    ensemble: release.ensemble,
    releaseId: release.id,
    rollbackOf: target.rollbackOf,
    actor: release.createdBy,
    startedAt: release.createdAt,
    finishedAt: outcome?.finishedAt,
    ref: outcome?.ref,
    outcome: outcome?.result
      ? {
          result: outcome.result === 'refused' ? 'failed' : outcome.result,
          reason: outcome.reason,
          details: outcome.details,
        }
      : undefined,
  };
}
