import { InputError } from '@backstage/errors';
import {
  ALL_FIGURE_READS,
  type FigureRead,
  type TopicFigures,
} from './topicFigures';

type FigureField = keyof Omit<TopicFigures, 'unknown'>;

/** The figure fields each read fills (one batched request or store query per read). */
export const FIELDS_OF_READ: Readonly<
  Record<FigureRead, readonly FigureField[]>
> = {
  messages: ['messages'],
  size: ['sizeBytes'],
  retention: ['retentionMs', 'retentionBytes'],
  rate: ['writeRate'],
  groups: ['consumerGroups', 'maxLag', 'maxTimeLagMs'],
};

/** The topic list's metadata fields: in every answer (the Metadata round trip gives them), whatever `fields` asks. */
export const TOPIC_METADATA_FIELDS = [
  'name',
  'internal',
  'partitions',
  'replicationFactor',
  'underReplicatedPartitions',
  'offlinePartitions',
] as const;

const READ_OF_FIELD = new Map<string, FigureRead>(
  ALL_FIGURE_READS.flatMap(read =>
    FIELDS_OF_READ[read].map(field => [field, read] as const),
  ),
);

/**
 * The reads the topic list's `fields` asks for (comma-separated field
 * names, as Backstage's catalog takes them); every read without it. A
 * listing of every topic with its message count asks `fields=messages` and
 * leaves out DescribeConfigs and DescribeLogDirs, which cost the broker
 * most (the kafka bench: retention is most of a full listing's time).
 */
export function readsForFields(fields: string | undefined): FigureRead[] {
  if (fields === undefined) return [...ALL_FIGURE_READS];
  const reads = new Set<FigureRead>();
  for (const raw of fields.split(',')) {
    const field = raw.trim();
    if (field === '') continue;
    const read = READ_OF_FIELD.get(field);
    if (read) reads.add(read);
    else if (!(TOPIC_METADATA_FIELDS as readonly string[]).includes(field))
      throw new InputError(
        `fields: "${field}" is not a field of a topic; the fields are ${[
          ...TOPIC_METADATA_FIELDS,
          ...READ_OF_FIELD.keys(),
        ].join(', ')}`,
      );
  }
  // In the order of ALL_FIGURE_READS, so equal asks share a cache key.
  return ALL_FIGURE_READS.filter(read => reads.has(read));
}

/** A topic's figures with only the fields of `reads`: a figure not read is absent, not null. */
export function figuresOfReads(
  figures: TopicFigures,
  reads: ReadonlySet<FigureRead>,
): Partial<TopicFigures> {
  const out: Partial<TopicFigures> = {};
  const unknown: Record<string, string> = {};
  for (const read of reads) {
    for (const field of FIELDS_OF_READ[read]) {
      (out as Record<string, unknown>)[field] = figures[field];
      if (figures.unknown[field]) unknown[field] = figures.unknown[field];
    }
  }
  if (Object.keys(unknown).length > 0) out.unknown = unknown;
  return out;
}
