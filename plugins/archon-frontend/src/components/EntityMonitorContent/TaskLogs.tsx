import { useEffect, useRef, useState } from 'react';
import {
  Box,
  Button,
  FormControlLabel,
  MenuItem,
  Switch,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import type { MarathonTaskLog } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { apiAppId } from '../../lib/appEntity';
import { unwrap } from '../../lib/errors';
import { readEventStream } from '../../lib/sse';

const useStyles = makeStyles(theme => ({
  log: {
    fontFamily: 'monospace',
    fontSize: '0.8em',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    maxHeight: 420,
    overflow: 'auto',
    background: theme.palette.background.default,
    padding: theme.spacing(1),
    margin: 0,
  },
}));

/** Bytes read from the end of the file first. */
const TAIL_BYTES = 16_384;
/** How long to wait before following again after the stream ended or failed. */
export const FOLLOW_RETRY_MS = 3_000;
/** What the view keeps (older output is dropped from the top). */
const MAX_CHARS = 200_000;

type LogChunk = Pick<MarathonTaskLog, 'nextOffset' | 'data'> & {
  size?: number;
};

/**
 * A task's stdout or stderr: the tail, then (when following) what it writes
 * next, pushed by the server as Server-Sent Events (`follow=true` with
 * `Accept: text/event-stream`; the generated client cannot ask for that, so
 * the stream is fetched through the fetchApi, which adds the user's token).
 * Switching follow off or closing the logs aborts the stream.
 */
export const TaskLogs = (props: {
  instance: string;
  appId: string;
  taskId: string;
  onClose: () => void;
}) => {
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [file, setFile] = useState<'stdout' | 'stderr'>('stdout');
  const [follow, setFollow] = useState(true);
  const [text, setText] = useState('');
  const [error, setError] = useState<Error>();
  const [size, setSize] = useState<number>();
  const [following, setFollowing] = useState(false);
  /** Where the shown text ends, per file of the task (follow resumes there after a toggle). */
  const offset = useRef<{ key: string; next: number }>();
  const pre = useRef<HTMLPreElement>(null);

  // The panel opens below the cards: bring it to where the user looks.
  useEffect(() => {
    pre.current?.scrollIntoView?.({ behavior: 'smooth', block: 'nearest' });
  }, [props.taskId]);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const key = `${props.instance}|${props.appId}|${props.taskId}|${file}`;
    if (offset.current?.key !== key) {
      offset.current = undefined;
      setText('');
    }
    setError(undefined);
    const path = {
      instance: props.instance,
      appId: apiAppId(props.appId),
      taskId: props.taskId,
    };
    const position = () =>
      offset.current === undefined
        ? { file, tail: TAIL_BYTES }
        : { file, offset: offset.current.next };
    const show = (log: LogChunk) => {
      if (controller.signal.aborted) return;
      offset.current = { key, next: log.nextOffset };
      if (log.size !== undefined) setSize(log.size);
      else setSize(s => (s === undefined ? s : Math.max(s, log.nextOffset)));
      if (log.data) setText(t => (t + log.data).slice(-MAX_CHARS));
      setError(undefined);
    };
    const readOnce = async () => {
      try {
        show(
          await unwrap(api.marathonReadTaskLog({ path, query: position() })),
        );
      } catch (e) {
        if (!controller.signal.aborted) setError(e as Error);
      }
    };
    const followStream = async () => {
      try {
        const base = await discoveryApi.getBaseUrl('archon');
        if (controller.signal.aborted) return;
        const query = new URLSearchParams({
          ...Object.fromEntries(
            Object.entries(position()).map(([k, v]) => [k, String(v)]),
          ),
          follow: 'true',
        });
        setFollowing(true);
        await readEventStream(
          fetchApi.fetch(
            `${base}/marathon/${encodeURIComponent(
              path.instance,
            )}/apps/${encodeURIComponent(
              path.appId,
            )}/tasks/${encodeURIComponent(path.taskId)}/logs?${query}`,
            {
              headers: { Accept: 'text/event-stream' },
              signal: controller.signal,
            },
          ),
          ({ event, data }) => {
            if (event === 'log') show(data as LogChunk);
            // `error`: Marathon or the agent stopped answering (archon's
            // unreachable frame); following resumes after FOLLOW_RETRY_MS.
            else if (event === 'end' || event === 'error') {
              const d = data as { reason?: string; message?: string };
              setError(
                new Error(`Following stopped: ${d.reason ?? d.message}`),
              );
            }
          },
          controller.signal,
        );
      } catch (e) {
        if (!controller.signal.aborted) setError(e as Error);
      }
      if (controller.signal.aborted) return;
      // The task ended or the connection dropped: follow again from where it stopped.
      setFollowing(false);
      timer = setTimeout(followStream, FOLLOW_RETRY_MS);
    };
    if (follow) followStream();
    else readOnce();
    return () => {
      controller.abort();
      setFollowing(false);
      if (timer) clearTimeout(timer);
    };
  }, [
    api,
    discoveryApi,
    fetchApi,
    props.instance,
    props.appId,
    props.taskId,
    file,
    follow,
  ]);

  useEffect(() => {
    if (follow && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [text, follow]);

  return (
    <InfoCard
      title={`Logs of ${props.taskId}`}
      subheader={`${file}${
        size !== undefined ? `, ${size.toLocaleString('en-US')} bytes` : ''
      }${following ? ', following live' : ''}`}
      action={
        <Box pt={2} pr={2}>
          <Button onClick={props.onClose}>Close logs</Button>
        </Box>
      }
    >
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={1}>
        <TextField
          id="task-log-file"
          select
          size="small"
          label="File"
          value={file}
          onChange={e => setFile(e.target.value as 'stdout' | 'stderr')}
        >
          <MenuItem value="stdout">stdout</MenuItem>
          <MenuItem value="stderr">stderr</MenuItem>
        </TextField>
        <FormControlLabel
          control={
            <Switch
              checked={follow}
              onChange={e => setFollow(e.target.checked)}
              color="primary"
            />
          }
          label="Follow"
        />
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      <pre
        ref={pre}
        className={classes.log}
        aria-label={`${file} of ${props.taskId}`}
      >
        {text}
      </pre>
      {!text && !error && (
        <Typography variant="body2" color="textSecondary">
          Nothing written to {file} yet.
        </Typography>
      )}
    </InfoCard>
  );
};
