import { useState } from 'react';
import {
  Box,
  FormControlLabel,
  Link,
  MenuItem,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import {
  ResponseErrorPanel,
  WarningPanel,
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
import { TimeLagCell } from './TimeLagCell';

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

/**
 * A cluster's consumer groups with lag in messages and in time (the latest
 * lag sample's); `lagging` (the Home page's count lands here with it) shows
 * only the groups over the time-lag threshold. A group opens its details
 * and offset reset.
 */
export const ConsumerGroupsTable = (props: {
  cluster: string;
  initialGroup?: string;
  initialLagging?: boolean;
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
  const [lagging, setLagging] = useState(props.initialLagging ?? false);
  const [open, setOpen] = useState<string | undefined>(props.initialGroup);

  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      unwrap(
        api.kafkaListConsumerGroups({
          path: { cluster },
          query: {
            ...(debounced ? { filter: debounced } : {}),
            ...(state ? { state } : {}),
            ...(lagging ? { lagging: true } : {}),
            limit: pages.limit,
            ...(pages.cursor ? { cursor: pages.cursor } : {}),
          },
        }),
      ),
    [api, cluster, debounced, state, lagging, pages.limit, pages.cursor],
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
    {
      title: 'Time lag',
      field: 'timeLagMs',
      render: g => (
        <TimeLagCell
          timeLagMs={g.timeLagMs}
          timeLagUnknown={g.timeLagUnknown}
          lagging={g.lagging}
          thresholdSeconds={value?.lagThresholdSeconds}
        />
      ),
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
        <FormControlLabel
          control={
            <Switch
              checked={lagging}
              onChange={e => {
                setLagging(e.target.checked);
                pages.reset();
              }}
              color="primary"
            />
          }
          label={`Lagging only (time lag over ${
            value?.lagThresholdSeconds ?? '…'
          } s)`}
        />
        {value?.timeLagAsOf && (
          <Typography variant="caption" color="textSecondary">
            Time lag as of {new Date(value.timeLagAsOf).toLocaleTimeString()}
          </Typography>
        )}
      </Box>
      {error ? (
        <ResponseErrorPanel error={error} />
      ) : (
        <>
          <StaleBanner answer={value} system={`Kafka cluster "${cluster}"`} />
          {value?.timeLagUnknown && (
            <Box mb={1}>
              <WarningPanel
                severity="warning"
                title="Time lag unknown"
                message={`${value.timeLagUnknown}${
                  lagging ? '. No group can be shown as lagging yet.' : ''
                }`}
              />
            </Box>
          )}
          <ArchonTable<KafkaConsumerGroupSummary>
            title={`Consumer groups${value ? ` (${value.total})` : ''}`}
            isLoading={loading}
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={columns}
            data={value?.items ?? []}
            emptyContent={
              <Box p={2}>
                {lagging
                  ? 'No consumer group is lagging in the latest lag sample.'
                  : 'No consumer groups.'}
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
