import { isGroupLagging } from '@archon/plugin-archon-common';
import type { GroupLagSample, SampleStore } from '../sampler/SampleStore';

/** The groups' time lag as of the cluster's latest lag sample, or why there is none. */
export interface SampledGroupLags {
  /** When the sample was taken (ISO); absent with `unknown`. */
  asOf?: string;
  unknown?: string;
  byGroup: Map<string, GroupLagSample>;
}

/**
 * Reads the latest lag sample for a list: the group list shows time lag
 * from the sampler's store, never with a Fetch per row at read time.
 */
export async function sampledGroupLags(
  samples: Pick<SampleStore, 'groupLags'> | undefined,
  cluster: string,
): Promise<SampledGroupLags> {
  if (!samples)
    return { unknown: 'lag sampling is not set up', byGroup: new Map() };
  try {
    const sample = await samples.groupLags(cluster);
    if (!sample) {
      return {
        unknown:
          'no lag sample of this cluster yet (the sampler records one a minute, unless archon.kafka.sampler.enabled is false)',
        byGroup: new Map(),
      };
    }
    return {
      asOf: new Date(sample.sampledAt).toISOString(),
      byGroup: sample.byGroup,
    };
  } catch (error) {
    return {
      unknown: `the lag samples could not be read: ${(error as Error).message}`,
      byGroup: new Map(),
    };
  }
}

/** A list row's time lag from the sample, and whether the group lags (the one rule, {@link isGroupLagging}). */
export function sampledTimeLag(
  sampled: SampledGroupLags,
  groupId: string,
  thresholdSeconds: number,
): { timeLagMs: number | null; timeLagUnknown?: string; lagging: boolean } {
  const figures = sampled.byGroup.get(groupId);
  const timeLagMs = figures?.timeLagMs ?? null;
  const timeLagUnknown =
    sampled.unknown ??
    (figures
      ? figures.timeLagUnknown ?? undefined
      : 'the group had no committed offsets in the latest lag sample');
  return {
    timeLagMs,
    ...(timeLagUnknown ? { timeLagUnknown } : {}),
    lagging: isGroupLagging(timeLagMs, thresholdSeconds),
  };
}

/** The ids of the groups over the threshold in the sample. */
export function laggingGroupIds(
  sampled: SampledGroupLags,
  thresholdSeconds: number,
): string[] {
  return [...sampled.byGroup.entries()]
    .filter(([, g]) => isGroupLagging(g.timeLagMs, thresholdSeconds))
    .map(([id]) => id);
}
