import { useState } from 'react';
import {
  Box,
  Button,
  FormControlLabel,
  Switch,
  TextField,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import Alert from '@material-ui/lab/Alert';
import {
  Link,
  ResponseErrorPanel,
  type TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import type { KafkaTopicSummary } from '@archon/plugin-archon-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { formatCount, formatRate } from '../common/format';
import { CursorPaging, useCursorPages } from '../common/CursorPaging';
import { StaleBanner } from '../common/StaleBanner';
import { CreateTopicDialog } from './CreateTopicDialog';
import { ArchonTable, Identifier } from '../common/ArchonTable';
import { kafkaTopicRouteRef } from '../../routes';

/** A cluster's topics, paged and filtered on the server, with a create dialog. */
export const TopicsTable = ({ cluster }: { cluster: string }) => {
  const api = useApi(archonApiRef);
  const topicPage = useRouteRef(kafkaTopicRouteRef);
  const [filter, setFilter] = useState('');
  const [debounced, setDebounced] = useState('');
  const pages = useCursorPages(25);
  useDebounce(
    () => {
      if (filter === debounced) return;
      setDebounced(filter);
      pages.reset();
    },
    300,
    [filter],
  );
  const [includeInternal, setIncludeInternal] = useState(false);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string>();
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      unwrap(
        api.kafkaListTopics({
          path: { cluster },
          query: {
            ...(debounced ? { filter: debounced } : {}),
            includeInternal,
            limit: pages.limit,
            ...(pages.cursor ? { cursor: pages.cursor } : {}),
          },
        }),
      ),
    [api, cluster, debounced, includeInternal, pages.limit, pages.cursor],
  );

  // The topic page reads the cluster, so every row links, catalog entity or not.
  const topicLink = (topic: string) => topicPage?.({ cluster, topic });

  const columns: TableColumn<KafkaTopicSummary>[] = [
    {
      title: 'Topic',
      field: 'name',
      render: t => {
        const to = topicLink(t.name);
        return to ? (
          <Link to={to}>
            <Identifier text={t.name} copy={false} />
          </Link>
        ) : (
          <Identifier text={t.name} />
        );
      },
    },
    {
      title: 'Partitions',
      field: 'partitions',
      type: 'numeric',
      align: 'left',
    },
    {
      title: 'Replication',
      field: 'replicationFactor',
      type: 'numeric',
      align: 'left',
    },
    {
      title: 'Messages',
      field: 'messages',
      render: t => formatCount(t.messages),
    },
    {
      title: 'Write rate',
      field: 'writeRate',
      render: t => formatRate(t.writeRate),
    },
    {
      title: 'Health',
      render: t => {
        if (t.offlinePartitions) return `${t.offlinePartitions} offline`;
        if (t.underReplicatedPartitions)
          return `${t.underReplicatedPartitions} under-replicated`;
        return 'ok';
      },
    },
  ];

  return (
    <Box>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 16 }}
        mb={2}
      >
        <TextField
          id="topics-table-filter-topics"
          label="Filter topics"
          size="small"
          variant="outlined"
          value={filter}
          onChange={e => setFilter(e.target.value)}
        />
        <FormControlLabel
          control={
            <Switch
              checked={includeInternal}
              onChange={e => {
                setIncludeInternal(e.target.checked);
                pages.reset();
              }}
              color="primary"
            />
          }
          label="Internal topics"
        />
        <Box flexGrow={1} />
        <Button
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          onClick={() => setCreating(true)}
        >
          Create topic
        </Button>
      </Box>
      {created && (
        <Alert severity="success" onClose={() => setCreated(undefined)}>
          Created topic{' '}
          {topicLink(created) ? (
            <Link to={topicLink(created)!}>{created}</Link>
          ) : (
            created
          )}
          . Its page opens now; its catalog entity appears at the next catalog
          refresh.
        </Alert>
      )}
      {error ? (
        <ResponseErrorPanel error={error} />
      ) : (
        <>
          <StaleBanner answer={value} system={`Kafka cluster "${cluster}"`} />
          <ArchonTable<KafkaTopicSummary>
            title={`Topics${value ? ` (${value.total})` : ''}`}
            isLoading={loading}
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={columns}
            data={value?.items ?? []}
            emptyContent={
              <Box p={2}>
                {debounced
                  ? `No topic matches "${debounced}".`
                  : 'This cluster has no topics.'}
              </Box>
            }
          />
          {value && (
            <CursorPaging
              pages={pages}
              total={value.total}
              nextCursor={value.nextCursor}
            />
          )}
        </>
      )}
      <CreateTopicDialog
        cluster={cluster}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={name => {
          setCreating(false);
          setCreated(name);
          retry();
        }}
      />
    </Box>
  );
};
