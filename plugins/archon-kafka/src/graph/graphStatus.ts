import type { ArchonGraphNodeStatus } from '@archon/plugin-archon-node';

type State = ArchonGraphNodeStatus['state'];

/** A consumer group's state (Kafka's words) as a graph state. */
export function groupState(kafkaState: string): State {
  switch (kafkaState) {
    case 'Stable':
      return 'healthy';
    case 'PreparingRebalance':
    case 'CompletingRebalance':
    case 'Assigning':
    case 'Reconciling':
      return 'degraded';
    case 'Empty':
    case 'Dead':
      return 'stopped';
    default:
      return 'unknown';
  }
}

/** A topic: failed with an offline partition, degraded when under-replicated. */
export function topicState(
  offlinePartitions: number,
  underReplicatedPartitions: number,
): State {
  if (offlinePartitions > 0) return 'failed';
  if (underReplicatedPartitions > 0) return 'degraded';
  return 'healthy';
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
