import type {
  ArchonDefinitionChange,
  ArchonWorkloadDefinition,
} from '@archon/plugin-archon-node';
import { isSecretKey, maskConfigDiff, SECRET_MASK } from '../config/core';
import type { ConfigService } from '../config/ConfigService';
import type { DeployPlan } from './DeployService';

/**
 * The dry-run answer of a deploy or rollback plan: the rendered definition
 * and its diff, masked unless the caller may see the path's secrets, with
 * the path's pending configuration change.
 */
export function deployPlanResponder(options: {
  config: ConfigService;
  secretPatterns: readonly string[];
}) {
  const { config, secretPatterns } = options;

  function maskPlan(plan: DeployPlan, reveal: boolean) {
    const secretFields = new Set(plan.workload.secretFields);
    const hidden = (field: string) =>
      secretFields.has(field) ||
      (field.startsWith('env.') && isSecretKey(field.slice(4), secretPatterns));
    const definition = reveal
      ? plan.workload.definition
      : maskFields(plan.workload.definition, [...secretFields]);
    const changes = reveal
      ? plan.diff.changes
      : plan.diff.changes.map(change =>
          hidden(change.field) ? maskChange(change) : change,
        );
    return { definition, changes };
  }

  async function planResponse(plan: DeployPlan, reveal: boolean) {
    const { definition, changes } = maskPlan(plan, reveal);
    let pending;
    let latestRelease;
    if (!plan.source.releaseId) {
      // Against what runs on the plan's own target: another target's release is not this one's baseline.
      const p = await config
        .pending(plan.workload.configPath, undefined, plan.workload.instance)
        .catch(() => undefined);
      if (p) {
        pending = reveal ? p.diff : maskConfigDiff(p.diff, secretPatterns);
        latestRelease = p.latestRelease?.id;
      }
    }
    return {
      dryRun: true,
      instance: plan.workload.instance,
      targetKind: plan.target.kind,
      configPath: plan.workload.configPath,
      workloadId: plan.workload.id,
      fromRelease: plan.source.releaseId,
      definition,
      exists: plan.diff.exists,
      changes,
      // What runs now, with the scale through archon the deploy keeps or changes.
      running: plan.scale
        ? { ...plan.diff.running, scale: plan.scale }
        : plan.diff.running,
      pending,
      latestRelease,
      masked: !reveal,
    };
  }

  return planResponse;
}

/** `env.X` style fields (`<top-level field>.<key of a map>`) replaced by the mask. */
function maskFields(
  definition: ArchonWorkloadDefinition,
  fields: string[],
): ArchonWorkloadDefinition {
  const copy: ArchonWorkloadDefinition = { ...definition };
  for (const field of fields) {
    const dot = field.indexOf('.');
    if (dot < 0) {
      if (field in copy) copy[field] = SECRET_MASK;
      continue;
    }
    const top = field.slice(0, dot);
    const key = field.slice(dot + 1);
    const map = copy[top];
    if (
      map &&
      typeof map === 'object' &&
      !Array.isArray(map) &&
      key in (map as object)
    ) {
      copy[top] = { ...(map as Record<string, unknown>), [key]: SECRET_MASK };
    }
  }
  return copy;
}

function maskChange(change: ArchonDefinitionChange): ArchonDefinitionChange {
  return {
    ...change,
    ...(change.before !== undefined ? { before: SECRET_MASK } : {}),
    ...(change.after !== undefined ? { after: SECRET_MASK } : {}),
  };
}
