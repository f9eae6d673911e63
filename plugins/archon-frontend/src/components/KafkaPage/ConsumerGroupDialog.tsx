import { useState } from 'react';
import {
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  FormGroup,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  KafkaConsumerGroup,
  KafkaPartitionLag,
  KafkaResetOffsetsRequest,
  KafkaResetOffsetsResult,
} from '@archon/plugin-archon-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { formatCount } from '../common/format';
import { ArchonTable } from '../common/ArchonTable';
import { GroupLagHistory } from './GroupLagHistory';
import { TimeLagCell } from './TimeLagCell';

type ResetTo = KafkaResetOffsetsRequest['to'];
type PlanRow = KafkaResetOffsetsResult['partitions'][number];

const lagColumns: TableColumn<KafkaPartitionLag>[] = [
  { title: 'Topic', field: 'topic' },
  { title: 'Partition', field: 'partition', type: 'numeric', align: 'left' },
  { title: 'Committed', render: p => formatCount(p.committedOffset) },
  { title: 'End', render: p => formatCount(p.endOffset) },
  { title: 'Lag', render: p => formatCount(p.lag) },
  {
    title: 'Time lag',
    render: p => (
      <TimeLagCell timeLagMs={p.timeLagMs} timeLagUnknown={p.timeLagUnknown} />
    ),
  },
  { title: 'Consumer', render: p => p.clientId ?? '—' },
];

const planColumns: TableColumn<PlanRow>[] = [
  { title: 'Topic', field: 'topic' },
  { title: 'Partition', field: 'partition', type: 'numeric', align: 'left' },
  { title: 'Current', render: p => formatCount(p.currentOffset) },
  {
    title: 'New',
    render: p => `${formatCount(p.newOffset)}${p.clamped ? ' (clamped)' : ''}`,
  },
  { title: 'Lag before', render: p => formatCount(p.lagBefore) },
  { title: 'Lag after', render: p => formatCount(p.lagAfter) },
];

/** The offset reset: choose a target, preview it (dry run), then confirm. */
export const ResetOffsets = (props: {
  cluster: string;
  group: KafkaConsumerGroup;
  onApplied: () => void;
}) => {
  const { cluster, group } = props;
  const api = useApi(archonApiRef);
  const topics = [
    ...new Set(
      group.partitions
        .map(p => p.topic)
        .concat((group.topics ?? []).map(t => t.topic ?? '')),
    ),
  ]
    .filter(Boolean)
    .sort();
  const [to, setTo] = useState<ResetTo>('latest');
  const [timestamp, setTimestamp] = useState('');
  const [offset, setOffset] = useState('0');
  const [chosen, setChosen] = useState<string[]>(topics);
  const [plan, setPlan] = useState<KafkaResetOffsetsResult>();
  const [error, setError] = useState<Error>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [applied, setApplied] = useState<KafkaResetOffsetsResult>();

  const request = (dryRun: boolean): KafkaResetOffsetsRequest => ({
    to,
    ...(to === 'timestamp' ? { timestamp: new Date(timestamp).getTime() } : {}),
    ...(to === 'offset' ? { offset: Number(offset) } : {}),
    ...(chosen.length ? { topics: chosen } : {}),
    dryRun,
  });
  let inputProblem: string | undefined;
  if (to === 'timestamp' && Number.isNaN(new Date(timestamp).getTime())) {
    inputProblem = 'Choose a date and time';
  } else if (
    to === 'offset' &&
    !(Number.isInteger(Number(offset)) && Number(offset) >= 0)
  ) {
    inputProblem = 'A whole number of at least 0';
  } else if (topics.length > 0 && chosen.length === 0) {
    inputProblem = 'Choose at least one topic';
  }

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await unwrap(
        api.kafkaResetConsumerGroupOffsets({
          path: { cluster, group: group.groupId },
          body: request(dryRun),
        }),
      );
      if (dryRun) setPlan(result);
      else {
        setApplied(result);
        setPlan(undefined);
        props.onApplied();
      }
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  const change = () => {
    setPlan(undefined);
    setApplied(undefined);
  };

  return (
    <Box>
      <Typography variant="h6" component="h3">
        Reset offsets
      </Typography>
      <Box
        display="flex"
        flexWrap="wrap"
        style={{ gap: 16 }}
        alignItems="flex-start"
        my={1}
      >
        <TextField
          select
          id="consumer-group-dialog-reset-to"
          label="Reset to"
          size="small"
          variant="outlined"
          style={{ minWidth: 160 }}
          value={to}
          onChange={e => {
            setTo(e.target.value as ResetTo);
            change();
          }}
        >
          <MenuItem value="earliest">Earliest</MenuItem>
          <MenuItem value="latest">Latest</MenuItem>
          <MenuItem value="timestamp">A point in time</MenuItem>
          <MenuItem value="offset">An offset</MenuItem>
        </TextField>
        {to === 'timestamp' && (
          <TextField
            id="consumer-group-dialog-time"
            label="Time"
            type="datetime-local"
            size="small"
            variant="outlined"
            InputLabelProps={{ shrink: true }}
            value={timestamp}
            error={!!inputProblem}
            helperText={inputProblem}
            onChange={e => {
              setTimestamp(e.target.value);
              change();
            }}
          />
        )}
        {to === 'offset' && (
          <TextField
            id="consumer-group-dialog-offset"
            label="Offset"
            type="number"
            size="small"
            variant="outlined"
            value={offset}
            error={!!inputProblem}
            helperText={inputProblem ?? 'Clamped to each partition’s range'}
            onChange={e => {
              setOffset(e.target.value);
              change();
            }}
          />
        )}
      </Box>
      {topics.length > 0 && (
        <FormGroup row aria-label="Topics to reset">
          {topics.map(t => (
            <FormControlLabel
              key={t}
              label={t}
              control={
                <Checkbox
                  checked={chosen.includes(t)}
                  onChange={e => {
                    setChosen(c =>
                      e.target.checked ? [...c, t] : c.filter(x => x !== t),
                    );
                    change();
                  }}
                />
              }
            />
          ))}
        </FormGroup>
      )}
      <Box my={1} display="flex" style={{ gap: 8 }}>
        <Button
          variant="outlined"
          disabled={busy || !!inputProblem}
          onClick={() => run(true)}
        >
          Preview reset
        </Button>
        <Button
          variant="contained"
          color="secondary"
          disabled={busy || !plan || plan.canApply === false}
          onClick={() => setConfirming(true)}
        >
          Reset offsets…
        </Button>
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      {applied && (
        <Alert severity="success">
          Reset {applied.partitions.length} partition
          {applied.partitions.length === 1 ? '' : 's'} of {applied.groupId}; lag
          is now {formatCount(applied.totalLagAfter)}.
        </Alert>
      )}
      {plan && (
        <Box mt={1}>
          {plan.canApply === false && (
            <Alert severity="warning">Cannot reset now: {plan.reason}</Alert>
          )}
          <ArchonTable<PlanRow>
            title={`Preview: lag ${formatCount(
              plan.totalLagBefore,
            )} → ${formatCount(plan.totalLagAfter)}`}
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={planColumns}
            data={plan.partitions}
          />
        </Box>
      )}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        aria-labelledby="reset-confirm-title"
      >
        <DialogTitle id="reset-confirm-title">
          Reset offsets of {group.groupId}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            This commits new offsets for {plan?.partitions.length ?? 0}{' '}
            partition
            {plan?.partitions.length === 1 ? '' : 's'} (to {to}); the
            group&apos;s consumers will continue from there. Lag goes from{' '}
            {formatCount(plan?.totalLagBefore)} to{' '}
            {formatCount(plan?.totalLagAfter)}.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button
            color="secondary"
            variant="contained"
            disabled={busy}
            onClick={() => run(false)}
          >
            Reset offsets
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
};

/** A consumer group: members, lag per partition, and the offset reset. */
export const ConsumerGroupDialog = (props: {
  cluster: string;
  groupId: string;
  onClose: () => void;
}) => {
  const { cluster, groupId } = props;
  const api = useApi(archonApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      unwrap(
        api.kafkaGetConsumerGroup({
          path: { cluster, group: groupId },
          query: {},
        }),
      ),
    [api, cluster, groupId],
  );
  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="lg"
      fullWidth
      aria-labelledby="group-title"
    >
      <DialogTitle id="group-title">Consumer group {groupId}</DialogTitle>
      <DialogContent>
        {loading && !value && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <>
            <StructuredMetadataTable
              metadata={{
                state: value.state,
                protocol: value.protocol || value.protocolType || '—',
                members: value.members.length
                  ? value.members
                      .map(m => `${m.clientId ?? '?'} @ ${m.host ?? '?'}`)
                      .join(', ')
                  : 'none',
                'total lag': formatCount(value.totalLag),
                'time lag': (
                  <TimeLagCell
                    timeLagMs={value.maxTimeLagMs}
                    timeLagUnknown={value.timeLagUnknown}
                    lagging={value.lagging}
                    thresholdSeconds={value.lagThresholdSeconds}
                  />
                ),
              }}
            />
            <Box mt={2}>
              <GroupLagHistory cluster={cluster} groupId={groupId} />
            </Box>
            <Box my={2}>
              <ArchonTable<KafkaPartitionLag>
                title="Lag per partition"
                options={{
                  paging: value.partitions.length > 20,
                  pageSize: 20,
                  search: false,
                  padding: 'dense',
                }}
                columns={lagColumns}
                data={value.partitions}
                emptyContent={
                  <Box p={2}>The group has no committed offsets.</Box>
                }
              />
            </Box>
            {value.partitions.length > 0 || (value.topics ?? []).length > 0 ? (
              <ResetOffsets cluster={cluster} group={value} onApplied={retry} />
            ) : (
              <Typography variant="body2">
                The group has no committed offsets, so there is nothing to reset
                {value.protocolType && value.protocolType !== 'consumer'
                  ? ` (it is a ${value.protocolType} group, not a consumer group)`
                  : ''}
                .
              </Typography>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
};
