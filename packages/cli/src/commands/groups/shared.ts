import type { KafkaConsumerGroup } from '@archon/plugin-archon-common';
import { duration, num } from '../../lib/kafkaFormat';
import { formatTable, type Colors } from '../../lib/output';

export function partitionLagTable(
  group: KafkaConsumerGroup,
  colors: Colors,
  topicFilter?: string[],
): string {
  const rows = group.partitions.filter(
    p => !topicFilter?.length || topicFilter.includes(p.topic),
  );
  if (!rows.length) return colors.dim('no committed offsets');
  return formatTable(
    ['topic', 'partition', 'committed', 'end', 'lag', 'time lag', 'consumer'],
    rows.map(p => [
      p.topic,
      p.partition,
      num(p.committedOffset),
      num(p.endOffset),
      num(p.lag),
      duration(p.timeLagMs),
      p.clientId ? `${p.clientId}@${p.host ?? ''}` : '',
    ]),
    { colors, alignRight: [1, 2, 3, 4, 5] },
  );
}
