import type { DeployPlan } from './schema/openapi/generated/models';

/** The last scale of an app through archon, as a dry run reports it in `running.scale`. */
export interface DeployPlanScale {
  instances: number;
  actor: string;
  /** When the scale finished (ISO time). */
  at: string;
  /** `instances: 2 → 1 (scaled by … at …)` when the deploy changes the scaled count; absent when it keeps it. */
  change?: string;
}

/**
 * The scale a deploy keeps or changes, read from a dry run (`running` is a
 * free-form object in the API, so the shape is checked here once).
 */
export function deployPlanScale(
  plan: Pick<DeployPlan, 'running'>,
): DeployPlanScale | undefined {
  const scale = (plan.running as Record<string, unknown> | undefined)?.scale as
    | Partial<DeployPlanScale>
    | undefined;
  if (
    !scale ||
    typeof scale.instances !== 'number' ||
    typeof scale.actor !== 'string' ||
    typeof scale.at !== 'string'
  ) {
    return undefined;
  }
  return {
    instances: scale.instances,
    actor: scale.actor,
    at: scale.at,
    ...(typeof scale.change === 'string' ? { change: scale.change } : {}),
  };
}
