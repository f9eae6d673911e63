import { useState } from 'react';
import { Box, Link, MenuItem, TextField } from '@material-ui/core';
import {
  ResponseErrorPanel,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { KafkaConsumerGroupSummary } from '@archon/plugin-archon-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { formatCount } from '../common/format';
import { CursorPaging, useCursorPages } from '../common/CursorPaging';
import { StaleBanner } from '../common/StaleBanner';
import { ConsumerGroupDialog } from './ConsumerGroupDialog';
import { ArchonTable } from '../common/ArchonTable';

const STATES = [
  'Empty',
  'Stable',
  'PreparingRebalance',
  'CompletingRebalance',
  'Dead',
  'Assigning',
  'Reconciling',
  'Unknown',
] as const;
type GroupState = (typeof STATES)[number];

/** A cluster's consumer groups with lag; a group opens its details and offset reset. */
export const ConsumerGroupsTable = (props: {
  cluster: string;
  initialGroup?: string;
}) => {
  const { cluster } = props;
  const api = useApi(archonApiRef);
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
  const [state, setState] = useState<GroupState | ''>('');
  const [open, setOpen] = useState<string | undefined>(props.initialGroup);

  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      unwrap(
        api.kafkaListConsumerGroups({
          path: { cluster },
          query: {
            ...(debounced ? { filter: debounced } : {}),
            ...(state ? { state } : {}),
            limit: pages.limit,
            ...(pages.cursor ? { cursor: pages.cursor } : {}),
          },
        }),
      ),
    [api, cluster, debounced, state, pages.limit, pages.cursor],
  );

  const columns: TableColumn<KafkaConsumerGroupSummary>[] = [
    {
      title: 'Group',
      field: 'groupId',
      render: g => (
        <Link
          component="button"
          variant="body2"
          onClick={() => setOpen(g.groupId)}
        >
          {g.groupId}
        </Link>
      ),
    },
    { title: 'State', field: 'state' },
    { title: 'Members', field: 'members', type: 'numeric', align: 'left' },
    { title: 'Topics', render: g => (g.topics ?? []).join(', ') || '—' },
    { title: 'Lag', field: 'totalLag', render: g => formatCount(g.totalLag) },
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
          id="consumer-groups-table-filter-groups"
          label="Filter groups"
          size="small"
          variant="outlined"
          value={filter}
          onChange={e => setFilter(e.target.value)}
        />
        <TextField
          select
          id="consumer-groups-table-state"
          label="State"
          size="small"
          variant="outlined"
          style={{ minWidth: 160 }}
          value={state}
          onChange={e => {
            setState(e.target.value as GroupState | '');
            pages.reset();
          }}
        >
          <MenuItem value="">Any</MenuItem>
          {STATES.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {error ? (
        <ResponseErrorPanel error={error} />
      ) : (
        <>
          <StaleBanner answer={value} system={`Kafka cluster "${cluster}"`} />
          <ArchonTable<KafkaConsumerGroupSummary>
            title={`Consumer groups${value ? ` (${value.total})` : ''}`}
            isLoading={loading}
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={columns}
            data={value?.items ?? []}
            emptyContent={<Box p={2}>No consumer groups.</Box>}
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
      {open && (
        <ConsumerGroupDialog
          cluster={cluster}
          groupId={open}
          onClose={() => {
            setOpen(undefined);
            retry();
          }}
        />
      )}
    </Box>
  );
};
