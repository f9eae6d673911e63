import { useMemo, useState } from 'react';
import {
  Box,
  Button,
  FormControlLabel,
  Switch,
  TextField,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import { Link, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import type { KafkaTopicSummary } from '@archon/plugin-archon-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { CursorPaging, useCursorPages } from '../common/CursorPaging';
import { StaleBanner } from '../common/StaleBanner';
import { CreateTopicDialog } from './CreateTopicDialog';
import { DeleteTopicsDialog } from './DeleteTopicsDialog';
import { ArchonTable } from '../common/ArchonTable';
import { kafkaTopicRouteRef } from '../../routes';
import { topicColumns, type TopicSort } from './topicColumns';

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
  // Sorted on the server, over the whole list: a header click asks again.
  const [sort, setSort] = useState<{ by: TopicSort; order: 'asc' | 'desc' }>({
    by: 'name',
    order: 'asc',
  });
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [deleting, setDeleting] = useState(false);
  const [deleted, setDeleted] = useState<string[]>();
  const [created, setCreated] = useState<string>();
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      unwrap(
        api.kafkaListTopics({
          path: { cluster },
          query: {
            ...(debounced ? { filter: debounced } : {}),
            includeInternal,
            ...(sort.by !== 'name' || sort.order !== 'asc'
              ? { sort: sort.by, order: sort.order }
              : {}),
            limit: pages.limit,
            ...(pages.cursor ? { cursor: pages.cursor } : {}),
          },
        }),
      ),
    [api, cluster, debounced, includeInternal, sort, pages.limit, pages.cursor],
  );

  // The topic page reads the cluster, so every row links, catalog entity or not.
  const topicLink = (topic: string) => topicPage?.({ cluster, topic });

  // Stable between renders: new columns make the table drop its row selection.
  const columns = useMemo(
    () =>
      topicColumns({
        topicLink: topic => topicPage?.({ cluster, topic }),
      }).map(c =>
        c.field === sort.by ? { ...c, defaultSort: sort.order } : c,
      ),
    [topicPage, cluster, sort],
  );

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
          variant="outlined"
          color="secondary"
          startIcon={<DeleteIcon />}
          disabled={selected.length === 0}
          onClick={() => setDeleting(true)}
        >
          Delete selected{selected.length ? ` (${selected.length})` : ''}
        </Button>
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
            options={{
              paging: false,
              search: false,
              padding: 'dense',
              selection: true,
              showTextRowsSelected: false,
            }}
            onSelectionChange={rows => setSelected(rows.map(r => r.name))}
            columns={columns}
            onOrderChange={(index, order) => {
              const by = columns[index]?.field as TopicSort | undefined;
              setSort(
                by && index >= 0
                  ? { by, order: order === 'desc' ? 'desc' : 'asc' }
                  : { by: 'name', order: 'asc' },
              );
              pages.reset();
            }}
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
      {deleted && deleted.length > 0 && (
        <Alert severity="success" onClose={() => setDeleted(undefined)}>
          Deleted {deleted.join(', ')}.
        </Alert>
      )}
      <DeleteTopicsDialog
        cluster={cluster}
        topics={selected}
        open={deleting}
        onClose={() => setDeleting(false)}
        onDeleted={gone => {
          setDeleted(gone);
          setSelected([]);
          retry();
        }}
      />
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
