import type { KafkaConsumerGroup } from '@archon/plugin-archon-common';
import { num, timeLag } from '../../lib/kafkaFormat';
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
      timeLag(p.timeLagMs, p.timeLagUnknown),
      p.clientId ? `${p.clientId}@${p.host ?? ''}` : '',
    ]),
    { colors, alignRight: [1, 2, 3, 4, 5] },
  );
}
