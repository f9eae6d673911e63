import type { ArchonDeployAdapter } from '@archon/plugin-archon-node';
import type { DeployFlowStore } from './store/DeployFlowStore';

/** The instances someone scaled an app to through archon, as a deploy keeps them. */
export interface ScaleRecord {
  instances: number;
  actor: string;
  /** When the scale finished (ISO time). */
  at: string;
}

/**
 * The scale a deploy of `configPath` keeps when its configuration sets no
 * instance count: archon's newest successful scale or suspend of the app,
 * as long as the app still wants that many (a deploy or a change outside
 * archon since then wins; the record no longer says what runs).
 */
export async function keptScale(options: {
  flows: DeployFlowStore;
  adapter: ArchonDeployAdapter;
  instance: string;
  configPath: string;
  workloadId: string;
}): Promise<ScaleRecord | undefined> {
  const { flows, adapter, instance, configPath, workloadId } = options;
  const last = await flows.lastScale({ instance, configPath });
  if (!last || last.instances === undefined) return undefined;
  const status = await adapter.status({ instance, id: workloadId });
  if (!status.exists || status.instances !== last.instances) return undefined;
  return {
    instances: last.instances,
    actor: last.actor,
    at: last.finishedAt ?? last.startedAt,
  };
}

/** `instances: 2 → 1 (scaled by user:default/ann at …)` when the deploy changes the scaled count. */
export function scaleChangeSentence(
  scale: ScaleRecord | undefined,
  renderedInstances: number,
): string | undefined {
  if (!scale || scale.instances === renderedInstances) return undefined;
  return `instances: ${scale.instances} → ${renderedInstances} (scaled by ${scale.actor} at ${scale.at})`;
}
