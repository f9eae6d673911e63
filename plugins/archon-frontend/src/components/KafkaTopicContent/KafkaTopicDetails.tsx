import { type ReactNode, useState } from 'react';
import {
  Box,
  Button,
  FormControlLabel,
  Grid,
  Switch,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  WarningPanel,
  type TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import type {
  KafkaConfigEntry,
  KafkaPartition,
  KafkaTopicUsage,
} from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { kafkaRouteRef } from '../../routes';
import { isApiError, unwrap } from '../../lib/errors';
import { formatCount, formatRate } from '../common/format';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { DeleteTopicDialog } from './DeleteTopicDialog';
import { MessageViewer } from './MessageViewer';
import { TopicFlowCard } from './TopicFlowCard';
import { ArchonTable } from '../common/ArchonTable';

type Group = KafkaTopicUsage['consumerGroups'][number];

const partitionColumns: TableColumn<KafkaPartition>[] = [
  { title: 'Partition', field: 'partition', type: 'numeric', align: 'left' },
  {
    title: 'Leader',
    render: p =>
      p.leader === null || p.leader === undefined ? 'none' : String(p.leader),
  },
  { title: 'Replicas', render: p => (p.replicas ?? []).join(', ') },
  { title: 'In sync', render: p => (p.isr ?? []).join(', ') },
  { title: 'Start', render: p => formatCount(p.startOffset) },
  { title: 'End', render: p => formatCount(p.endOffset) },
  { title: 'Messages', render: p => formatCount(p.messages) },
  {
    title: 'Health',
    render: p => {
      if (p.offlineReplicas?.length) return 'replicas offline';
      return p.underReplicated ? 'under-replicated' : 'ok';
    },
  },
];

const configColumns: TableColumn<KafkaConfigEntry>[] = [
  {
    title: 'Config',
    field: 'name',
    render: c => <span style={{ fontFamily: 'monospace' }}>{c.name}</span>,
  },
  {
    title: 'Value',
    field: 'value',
    render: c => (
      <span style={{ fontFamily: 'monospace' }}>
        {c.sensitive ? '(sensitive)' : c.value ?? '—'}
      </span>
    ),
  },
  {
    title: 'Source',
    field: 'source',
    render: c => (c.isOverride ? `${c.source} (override)` : c.source),
  },
  {
    title: 'Default',
    render: c => {
      const fallback = (c.synonyms ?? []).find(s => s.source !== 'topic');
      return c.isOverride && fallback
        ? `${fallback.value ?? '—'} (${fallback.source})`
        : '';
    },
  },
];

/**
 * Everything about one topic, read from archon's Kafka API (never the
 * catalog, so a topic is shown the moment it exists): partitions, configs
 * (overrides and defaults), the consumer groups reading it with their lag,
 * the apps and connectors writing and reading it (from the graph), a
 * message viewer, and deletion with its usage shown first. The topic page
 * and the topic entity's "Kafka" tab both show this.
 */
export const KafkaTopicDetails = (props: {
  cluster: string;
  topic: string;
  /** Links shown under the topic's figures (to the page, the entity, the list). */
  links?: ReactNode;
  /** What to say after the topic was deleted, below "Deleted topic X from Y." */
  afterDelete?: ReactNode;
}) => {
  const { cluster, topic } = props;
  const api = useApi(archonApiRef);
  const kafkaPage = useRouteRef(kafkaRouteRef);
  const [showDefaults, setShowDefaults] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleted, setDeleted] = useState(false);

  const description = useAsync(
    () => unwrap(api.kafkaGetTopic({ path: { cluster, topic } })),
    [api, cluster, topic],
  );
  const usage = useAsync(
    () => unwrap(api.kafkaGetTopicUsage({ path: { cluster, topic } })),
    [api, cluster, topic],
  );

  const groupLink = (groupId: string) =>
    kafkaPage
      ? `${kafkaPage()}?${new URLSearchParams({
          cluster,
          tab: 'groups',
          group: groupId,
        })}`
      : undefined;

  if (deleted) {
    return (
      <Alert severity="success">
        Deleted topic {topic} from {cluster}. {props.afterDelete}
      </Alert>
    );
  }

  const groupColumns: TableColumn<Group>[] = [
    {
      title: 'Group',
      field: 'groupId',
      render: g => {
        const to = groupLink(g.groupId ?? '');
        return to ? <Link to={to}>{g.groupId}</Link> : g.groupId;
      },
    },
    { title: 'State', field: 'state' },
    { title: 'Lag', render: g => formatCount(g.lag) },
    {
      title: 'Members',
      render: g =>
        (g.members ?? []).map(m => `${m.clientId} @ ${m.host}`).join(', ') ||
        'none',
    },
  ];

  const t = description.value;
  const configs = (t?.configs ?? []).filter(c => showDefaults || c.isOverride);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SystemsDownBanner
          kinds={['kafka']}
          consequence="The topic cannot be read until it is back."
        />
      </Grid>
      {description.loading && (
        <Grid item xs={12}>
          <Progress />
        </Grid>
      )}
      {description.error && (
        <Grid item xs={12}>
          {isApiError(description.error, 404) ? (
            <WarningPanel
              title={`Topic ${topic} not found on cluster ${cluster}`}
              message="Kafka has no topic of that name: it may have been deleted, or not created yet."
            />
          ) : (
            <ResponseErrorPanel error={description.error} />
          )}
        </Grid>
      )}
      {t && (
        <>
          <Grid item xs={12} md={4}>
            <InfoCard title="Topic">
              <StructuredMetadataTable
                metadata={{
                  cluster,
                  name: t.name,
                  partitions: t.partitions.length,
                  'replication factor': t.replicationFactor ?? '—',
                  messages: formatCount(t.messages),
                  'write rate': formatRate(t.writeRate),
                }}
              />
              {props.links && <Box mt={1}>{props.links}</Box>}
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={8}>
            {usage.error ? (
              <ResponseErrorPanel error={usage.error} />
            ) : (
              <ArchonTable<Group>
                title="Consumer groups"
                isLoading={usage.loading}
                options={{ paging: false, search: false, padding: 'dense' }}
                columns={groupColumns}
                data={usage.value?.consumerGroups ?? []}
                emptyContent={
                  <Box p={2}>No consumer group reads this topic.</Box>
                }
              />
            )}
          </Grid>
          <Grid item xs={12}>
            <TopicFlowCard cluster={cluster} topic={topic} />
          </Grid>
          <Grid item xs={12}>
            <ArchonTable<KafkaPartition>
              title="Partitions"
              options={{
                paging: t.partitions.length > 20,
                pageSize: 20,
                search: false,
                padding: 'dense',
              }}
              columns={partitionColumns}
              data={t.partitions}
            />
          </Grid>
          <Grid item xs={12}>
            <FormControlLabel
              control={
                <Switch
                  checked={showDefaults}
                  color="primary"
                  onChange={e => setShowDefaults(e.target.checked)}
                />
              }
              label="Show defaults"
            />
            <ArchonTable<KafkaConfigEntry>
              title={showDefaults ? 'Configs' : 'Config overrides'}
              options={{ paging: false, search: true, padding: 'dense' }}
              columns={configColumns}
              data={configs}
              emptyContent={
                <Box p={2}>No overrides: every config has its default.</Box>
              }
            />
          </Grid>
        </>
      )}
      {t && (
        <Grid item xs={12}>
          <InfoCard title="Messages">
            <MessageViewer
              cluster={cluster}
              topic={topic}
              partitions={t.partitions.length}
            />
          </InfoCard>
        </Grid>
      )}
      {t && (
        <Grid item xs={12}>
          <InfoCard title="Delete">
            <Typography variant="body2" gutterBottom>
              Shows what reads the topic first, then asks for its name.
            </Typography>
            <Button
              variant="outlined"
              color="secondary"
              startIcon={<DeleteIcon />}
              onClick={() => setDeleting(true)}
            >
              Delete topic…
            </Button>
          </InfoCard>
          <DeleteTopicDialog
            cluster={cluster}
            topic={topic}
            open={deleting}
            onClose={() => setDeleting(false)}
            onDeleted={() => {
              setDeleting(false);
              setDeleted(true);
            }}
          />
        </Grid>
      )}
    </Grid>
  );
};
