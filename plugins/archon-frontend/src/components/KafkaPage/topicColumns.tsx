import type { ReactElement } from 'react';
import { Tooltip, Typography } from '@material-ui/core';
import { Link, type TableColumn } from '@backstage/core-components';
import type {
  ArchonApiClient,
  KafkaTopicSummary,
} from '@archon/plugin-archon-common';
import { Identifier } from '../common/ArchonTable';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatRate,
  formatRetention,
} from '../common/format';

/** The sort fields of the topic list (the API's `sort` of KafkaListTopics). */
export type TopicSort = NonNullable<
  NonNullable<
    Parameters<ArchonApiClient['kafkaListTopics']>[0]['query']
  >['sort']
>;

/**
 * A figure of a topic: its value, or "unknown" with why in the tooltip when
 * the server could not read it (never a 0 that is not one).
 */
export const Figure = (props: {
  topic: KafkaTopicSummary;
  field: keyof KafkaTopicSummary;
  format: (value: number) => string;
}) => {
  const value = props.topic[props.field] as number | null | undefined;
  const reason = props.topic.unknown?.[props.field];
  if (value === null || value === undefined) {
    return reason ? (
      <Tooltip title={reason}>
        <span style={{ textDecoration: 'underline dotted' }}>unknown</span>
      </Tooltip>
    ) : (
      <span>—</span>
    );
  }
  return <span>{props.format(value)}</span>;
};

// A name longer than this ends in an ellipsis (full name in its tooltip): at
// 26ch a long name made the nine columns 1,218 px wide in the 1,168 px card
// of a 1440x900 window (seen with every topic listed).
const NAME_WIDTH = '20ch';

const TIGHT = { padding: '6px 8px', whiteSpace: 'nowrap' } as const;
// A header of two words ("Max lag", "Time lag") may take two lines when the
// columns need the room; a figure never does.
const TIGHT_HEADER = { padding: '6px 8px', whiteSpace: 'normal' } as const;

/** A topic's health in a word: offline or under-replicated partitions, else nothing. */
export function topicHealth(t: KafkaTopicSummary): string | undefined {
  if (t.offlinePartitions) return `${t.offlinePartitions} offline`;
  if (t.underReplicatedPartitions)
    return `${t.underReplicatedPartitions} under-replicated`;
  return undefined;
}

const numeric = (
  title: string | ReactElement,
  field: TopicSort & keyof KafkaTopicSummary,
  format: (value: number) => string,
): TableColumn<KafkaTopicSummary> => ({
  title,
  field,
  align: 'right',
  // Eleven columns fit 1440 px only with tight cells that never wrap a figure.
  headerStyle: TIGHT_HEADER,
  cellStyle: TIGHT,
  // The server sorts (the whole list, not this page): the table only shows it.
  customSort: () => 0,
  render: t => <Figure topic={t} field={field} format={format} />,
});

/** The topic list's columns; their `field` is the API's sort field. Health shows under the name when a partition is offline or under-replicated. */
export function topicColumns(options: {
  topicLink: (topic: string) => string | undefined;
}): TableColumn<KafkaTopicSummary>[] {
  return [
    {
      title: 'Topic',
      field: 'name',
      customSort: () => 0,
      render: t => {
        const to = options.topicLink(t.name);
        const health = topicHealth(t);
        return (
          <>
            {to ? (
              <Link to={to}>
                <Identifier text={t.name} copy={false} maxWidth={NAME_WIDTH} />
              </Link>
            ) : (
              <Identifier text={t.name} maxWidth={NAME_WIDTH} />
            )}
            {health && (
              <Typography variant="caption" color="error" component="div">
                {health}
              </Typography>
            )}
          </>
        );
      },
    },
    numeric('Partitions', 'partitions', formatCount),
    // "RF" (Kafka's usual short form, whole in its tooltip): "Replication"
    // took the room the time lag column needs at 1440 px.
    numeric(
      <Tooltip title="Replication factor">
        <span>RF</span>
      </Tooltip>,
      'replicationFactor',
      formatCount,
    ),
    numeric('Messages', 'messages', formatCount),
    numeric('Size', 'sizeBytes', formatBytes),
    numeric('Retention', 'retentionMs', formatRetention),
    numeric('Rate', 'writeRate', formatRate),
    numeric('Groups', 'consumerGroups', formatCount),
    numeric('Max lag', 'maxLag', formatCount),
    {
      // The largest time lag of the groups reading the topic (the age of the
      // oldest record one of them has not consumed). The API does not sort
      // by it, so the header does not offer to.
      title: 'Time lag',
      field: 'maxTimeLagMs',
      align: 'right',
      headerStyle: TIGHT_HEADER,
      cellStyle: TIGHT,
      sorting: false,
      render: t => (
        <Figure topic={t} field="maxTimeLagMs" format={formatDuration} />
      ),
    },
  ];
}
