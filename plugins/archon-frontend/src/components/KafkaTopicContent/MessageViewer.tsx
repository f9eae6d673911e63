import { useState } from 'react';
import {
  Box,
  Button,
  FormControlLabel,
  MenuItem,
  Switch,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonKafkaMessageProducePermission,
  clusterResourceRef,
  type ArchonApiClient,
  type KafkaMessage,
  type KafkaMessageList,
} from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { MessageDrawer } from './MessageDrawer';
import { MessageTable } from './MessageTable';
import { ProduceMessageDialog } from './ProduceMessageDialog';
import { useLiveTail } from './useLiveTail';

export { payloadText } from './payloadText';

type ReadQuery = Parameters<ArchonApiClient['kafkaReadMessages']>[0]['query'];
type From = 'newest' | 'oldest' | 'offset' | 'timestamp';

/** A read and its continuations: the messages so far and the scan's running counts. */
interface Found {
  messages: KafkaMessage[];
  last: KafkaMessageList;
  scanned: number;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A topic's messages, like Redpanda Console's viewer: a compact table from
 * the newest, the oldest, an offset or a time; a server-side filter (key,
 * value text, JSON path) with the scan's progress and "scan further"; a live
 * tail; and a produce form for who may produce.
 */
export const MessageViewer = (props: {
  cluster: string;
  topic: string;
  partitions: number;
}) => {
  const { cluster, topic } = props;
  const api = useApi(archonApiRef);
  // Decided per cluster: a policy may allow producing on one and not another (#20).
  const canProduce = usePermission({
    permission: archonKafkaMessageProducePermission,
    resourceRef: clusterResourceRef('kafka', cluster),
  });
  const [from, setFrom] = useState<From>('newest');
  const [partition, setPartition] = useState<string>('all');
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState('');
  const [limit, setLimit] = useState('50');
  const [key, setKey] = useState('');
  const [valueContains, setValueContains] = useState('');
  const [jsonPath, setJsonPath] = useState('');
  const [found, setFound] = useState<Found>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(false);
  const [live, setLive] = useState(false);
  const [open, setOpen] = useState<KafkaMessage>();
  const [producing, setProducing] = useState(false);
  const filter = {
    partition: partition !== 'all' ? Number(partition) : undefined,
    key,
    valueContains,
    jsonPath,
  };
  const tail = useLiveTail(cluster, topic, filter, live);

  let problem: string | undefined;
  if (
    from === 'offset' &&
    !(Number.isInteger(Number(offset)) && Number(offset) >= 0)
  ) {
    problem = 'A whole number of at least 0';
  } else if (from === 'timestamp' && Number.isNaN(new Date(time).getTime())) {
    problem = 'Choose a date and time';
  }
  const limitProblem = !(
    Number.isInteger(Number(limit)) &&
    Number(limit) >= 1 &&
    Number(limit) <= 1000
  )
    ? '1 to 1000'
    : undefined;
  const pathProblem =
    jsonPath.trim() && !jsonPath.trim().startsWith('$')
      ? 'Starts with $, e.g. $.user.id == 42'
      : undefined;
  const filtered = !!(key || valueContains || jsonPath.trim());

  const read = async (cursor?: string) => {
    setLoading(true);
    setError(undefined);
    try {
      const query: ReadQuery = {
        start: from,
        limit: Number(limit),
        ...(filter.partition !== undefined
          ? { partition: filter.partition }
          : {}),
        ...(from === 'offset' ? { offset: Number(offset) } : {}),
        ...(from === 'timestamp'
          ? { timestamp: new Date(time).getTime() }
          : {}),
        ...(key ? { key } : {}),
        ...(valueContains ? { valueContains } : {}),
        ...(jsonPath.trim() ? { jsonPath: jsonPath.trim() } : {}),
        ...(cursor ? { cursor } : {}),
      };
      const list = await unwrap(
        api.kafkaReadMessages({ path: { cluster, topic }, query }),
      );
      setFound(prev => ({
        messages:
          cursor && prev ? [...prev.messages, ...list.messages] : list.messages,
        last: list,
        scanned:
          (cursor && prev ? prev.scanned : 0) + (list.scan?.scanned ?? 0),
      }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  };

  const scan = found?.last.scan;
  return (
    <Box>
      <Box
        display="flex"
        flexWrap="wrap"
        style={{ gap: 16 }}
        alignItems="flex-start"
      >
        <TextField
          select
          id="message-viewer-read"
          label="Read"
          size="small"
          variant="outlined"
          style={{ minWidth: 150 }}
          value={from}
          onChange={e => setFrom(e.target.value as From)}
        >
          <MenuItem value="newest">Newest</MenuItem>
          <MenuItem value="oldest">Oldest</MenuItem>
          <MenuItem value="offset">From an offset</MenuItem>
          <MenuItem value="timestamp">From a time</MenuItem>
        </TextField>
        <TextField
          select
          id="message-viewer-partition"
          label="Partition"
          size="small"
          variant="outlined"
          style={{ minWidth: 120 }}
          value={partition}
          onChange={e => setPartition(e.target.value)}
        >
          <MenuItem value="all">All</MenuItem>
          {Array.from({ length: props.partitions }, (_, i) => (
            <MenuItem key={i} value={String(i)}>
              {i}
            </MenuItem>
          ))}
        </TextField>
        {from === 'offset' && (
          <TextField
            id="message-viewer-offset"
            label="Offset"
            type="number"
            size="small"
            variant="outlined"
            value={offset}
            error={!!problem}
            helperText={problem ?? 'Per partition'}
            onChange={e => setOffset(e.target.value)}
          />
        )}
        {from === 'timestamp' && (
          <TextField
            id="message-viewer-time"
            label="Time"
            type="datetime-local"
            size="small"
            variant="outlined"
            InputLabelProps={{ shrink: true }}
            value={time}
            error={!!problem}
            helperText={problem}
            onChange={e => setTime(e.target.value)}
          />
        )}
        <TextField
          id="message-viewer-messages"
          label="Messages"
          type="number"
          size="small"
          variant="outlined"
          style={{ width: 120 }}
          value={limit}
          error={!!limitProblem}
          helperText={limitProblem}
          onChange={e => setLimit(e.target.value)}
        />
      </Box>
      <Box
        display="flex"
        flexWrap="wrap"
        style={{ gap: 16 }}
        alignItems="flex-start"
        mt={2}
      >
        <TextField
          id="message-viewer-key"
          label="Key is"
          size="small"
          variant="outlined"
          value={key}
          onChange={e => setKey(e.target.value)}
        />
        <TextField
          id="message-viewer-contains"
          label="Value contains"
          size="small"
          variant="outlined"
          value={valueContains}
          onChange={e => setValueContains(e.target.value)}
        />
        <TextField
          id="message-viewer-jsonpath"
          label="JSON path"
          size="small"
          variant="outlined"
          style={{ minWidth: 260 }}
          placeholder="$.user.id == 42"
          value={jsonPath}
          error={!!pathProblem}
          helperText={
            pathProblem ?? '$.a.b, [0]; == != > >= < <= ~= (contains)'
          }
          onChange={e => setJsonPath(e.target.value)}
        />
        <Button
          variant="contained"
          color="primary"
          disabled={
            loading || live || !!problem || !!limitProblem || !!pathProblem
          }
          onClick={() => read()}
        >
          {filtered ? 'Search messages' : 'Read messages'}
        </Button>
        <FormControlLabel
          control={
            <Switch
              checked={live}
              disabled={!!pathProblem}
              onChange={(_e, on) => setLive(on)}
              color="primary"
            />
          }
          label="Live"
        />
        {/* Shown once the permission is known: disabled, with the reason, for who may not produce. */}
        {!canProduce.loading && (
          <Tooltip
            title={
              canProduce.allowed
                ? ''
                : 'You may not produce to this topic (archon.kafka.message.produce)'
            }
          >
            <span>
              <Button
                variant="outlined"
                disabled={!canProduce.allowed}
                onClick={() => setProducing(true)}
              >
                Produce…
              </Button>
            </span>
          </Tooltip>
        )}
      </Box>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {live ? (
        <Box mt={2} aria-live="polite">
          <Typography variant="body2">
            {tail.phase === 'connecting' && 'Connecting…'}
            {tail.phase === 'live' &&
              `Live: ${count(tail.messages.length)} new message${
                tail.messages.length === 1 ? '' : 's'
              }${filtered ? ' matching the filter' : ''}`}
            {tail.phase === 'reconnecting' &&
              `Reconnecting… Kafka does not answer (${tail.reason}); ${count(
                tail.messages.length,
              )} new message${tail.messages.length === 1 ? '' : 's'} so far`}
            {tail.phase === 'ended' && `Live tail stopped: ${tail.reason}`}
          </Typography>
          <MessageTable messages={tail.messages} onOpen={setOpen} />
        </Box>
      ) : (
        found && (
          <Box mt={2} aria-live="polite">
            <Box display="flex" alignItems="center" style={{ gap: 16 }}>
              <Typography variant="body2">
                {scan
                  ? `Scanned ${count(found.scanned)} of ${count(
                      scan.total,
                    )}, ${count(found.messages.length)} match${
                      found.messages.length === 1 ? '' : 'es'
                    }`
                  : `${found.messages.length} message${
                      found.messages.length === 1 ? '' : 's'
                    }`}
                {found.last.truncated
                  ? ` (stopped early: ${found.last.truncated} limit)`
                  : ''}
              </Typography>
              {scan?.cursor && (
                <Button
                  size="small"
                  variant="outlined"
                  disabled={loading}
                  onClick={() => read(scan.cursor ?? undefined)}
                >
                  Scan further ({count(scan.remaining)} left)
                </Button>
              )}
            </Box>
            {found.last.partitions.some(p => p.error) && (
              <Alert severity="warning">
                {found.last.partitions
                  .filter(p => p.error)
                  .map(p => `partition ${p.partition}: ${p.error}`)
                  .join('; ')}
              </Alert>
            )}
            <MessageTable messages={found.messages} onOpen={setOpen} />
          </Box>
        )
      )}
      <MessageDrawer message={open} onClose={() => setOpen(undefined)} />
      {producing && (
        <ProduceMessageDialog
          cluster={cluster}
          topic={topic}
          partitions={props.partitions}
          open={producing}
          onClose={() => setProducing(false)}
        />
      )}
    </Box>
  );
};
