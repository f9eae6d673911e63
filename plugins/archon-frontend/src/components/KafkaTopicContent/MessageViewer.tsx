import { useState } from 'react';
import {
  Box,
  Button,
  MenuItem,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ArchonApiClient,
  KafkaMessage,
  KafkaMessageList,
  KafkaMessagePayload,
} from '@archon/plugin-archon-common';

type ReadQuery = Parameters<ArchonApiClient['kafkaReadMessages']>[0]['query'];
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';

type From = 'newest' | 'oldest' | 'offset' | 'timestamp';

const useStyles = makeStyles(theme => ({
  message: {
    borderBottom: `1px solid ${theme.palette.divider}`,
    padding: theme.spacing(1, 0),
  },
  meta: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    color: theme.palette.text.secondary,
  },
  pre: {
    margin: theme.spacing(0.5, 0),
    padding: theme.spacing(1),
    background: theme.palette.background.default,
    fontFamily: 'monospace',
    fontSize: '0.85em',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    maxHeight: 400,
    overflow: 'auto',
  },
}));

/** A key or value: pretty JSON when it parses, as the backend decoded it otherwise. */
export function payloadText(p: KafkaMessagePayload | null | undefined): string {
  if (!p) return '(null)';
  if (p.format === 'json') {
    try {
      return JSON.stringify(JSON.parse(p.text), null, 2);
    } catch {
      return p.text;
    }
  }
  return p.text;
}

const Payload = ({
  label,
  payload,
}: {
  label: string;
  payload?: KafkaMessagePayload | null;
}) => {
  const classes = useStyles();
  return (
    <Box>
      <Typography variant="caption">
        {label}
        {payload ? ` (${payload.format}, ${payload.size} bytes)` : ''}
        {payload?.error ? ` — ${payload.error}` : ''}
      </Typography>
      <pre className={classes.pre}>{payloadText(payload)}</pre>
    </Box>
  );
};

const Message = ({ m }: { m: KafkaMessage }) => {
  const classes = useStyles();
  return (
    <Box className={classes.message}>
      <Box className={classes.meta}>
        <Typography variant="body2">partition {m.partition}</Typography>
        <Typography variant="body2">offset {m.offset}</Typography>
        <Typography variant="body2">
          {m.time ?? new Date(m.timestamp).toISOString()}
        </Typography>
      </Box>
      {m.key && <Payload label="Key" payload={m.key} />}
      <Payload label="Value" payload={m.value} />
      {m.headers.length > 0 && (
        <Typography variant="caption" display="block">
          Headers:{' '}
          {m.headers.map(h => `${h.key}=${h.value?.text ?? ''}`).join(', ')}
        </Typography>
      )}
    </Box>
  );
};

/** Reads messages of a topic without joining a group: newest N, oldest, from an offset or a time. */
export const MessageViewer = (props: {
  cluster: string;
  topic: string;
  partitions: number;
}) => {
  const { cluster, topic } = props;
  const api = useApi(archonApiRef);
  const [from, setFrom] = useState<From>('newest');
  const [partition, setPartition] = useState<string>('all');
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState('');
  const [limit, setLimit] = useState('20');
  const [result, setResult] = useState<KafkaMessageList>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(false);

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

  const read = async () => {
    setLoading(true);
    setError(undefined);
    try {
      const query: ReadQuery = {
        start: from,
        limit: Number(limit),
        ...(partition !== 'all' ? { partition: Number(partition) } : {}),
        ...(from === 'offset' ? { offset: Number(offset) } : {}),
        ...(from === 'timestamp'
          ? { timestamp: new Date(time).getTime() }
          : {}),
      };
      setResult(
        await unwrap(
          api.kafkaReadMessages({ path: { cluster, topic }, query }),
        ),
      );
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  };

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
        <Button
          variant="contained"
          color="primary"
          disabled={loading || !!problem || !!limitProblem}
          onClick={read}
        >
          Read messages
        </Button>
      </Box>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {result && (
        <Box mt={2} aria-live="polite">
          <Typography variant="body2">
            {result.messages.length} message
            {result.messages.length === 1 ? '' : 's'}
            {result.truncated
              ? ` (stopped early: ${result.truncated} limit)`
              : ''}
          </Typography>
          {result.partitions.some(p => p.error) && (
            <Alert severity="warning">
              {result.partitions
                .filter(p => p.error)
                .map(p => `partition ${p.partition}: ${p.error}`)
                .join('; ')}
            </Alert>
          )}
          {result.messages.map(m => (
            <Message key={`${m.partition}:${m.offset}`} m={m} />
          ))}
        </Box>
      )}
    </Box>
  );
};
