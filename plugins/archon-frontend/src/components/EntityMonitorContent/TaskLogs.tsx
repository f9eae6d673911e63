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
import { useApi } from '@backstage/frontend-plugin-api';
import { archonApiRef } from '../../api';
import { apiAppId } from '../../lib/appEntity';
import { unwrap } from '../../lib/errors';

const useStyles = makeStyles(theme => ({
  log: {
    fontFamily: 'monospace',
    fontSize: '0.8em',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
    maxHeight: 420,
    overflow: 'auto',
    background: theme.palette.background.default,
    padding: theme.spacing(1),
    margin: 0,
  },
}));

/** Bytes read from the end of the file first. */
const TAIL_BYTES = 16_384;
/** How often following reads on from the last offset. */
export const FOLLOW_INTERVAL_MS = 2_000;
/** What the view keeps (older output is dropped from the top). */
const MAX_CHARS = 200_000;

/** A task's stdout or stderr: the tail, then (when following) what it writes next. */
export const TaskLogs = (props: {
  instance: string;
  appId: string;
  taskId: string;
  onClose: () => void;
}) => {
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const [file, setFile] = useState<'stdout' | 'stderr'>('stdout');
  const [follow, setFollow] = useState(true);
  const [text, setText] = useState('');
  const [error, setError] = useState<Error>();
  const [size, setSize] = useState<number>();
  const offset = useRef<number>();
  const pre = useRef<HTMLPreElement>(null);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    offset.current = undefined;
    setText('');
    setError(undefined);
    const path = {
      instance: props.instance,
      appId: apiAppId(props.appId),
      taskId: props.taskId,
    };
    const read = async () => {
      try {
        const log = await unwrap(
          api.marathonReadTaskLog({
            path,
            query:
              offset.current === undefined
                ? { file, tail: TAIL_BYTES }
                : { file, offset: offset.current },
          }),
        );
        if (cancelled) return;
        offset.current = log.nextOffset;
        setSize(log.size);
        if (log.data) setText(t => (t + log.data).slice(-MAX_CHARS));
        setError(undefined);
      } catch (e) {
        if (!cancelled) setError(e as Error);
      }
      if (!cancelled && follow) timer = setTimeout(read, FOLLOW_INTERVAL_MS);
    };
    read();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, props.instance, props.appId, props.taskId, file, follow]);

  useEffect(() => {
    if (follow && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [text, follow]);

  return (
    <InfoCard
      title={`Logs of ${props.taskId}`}
      subheader={
        size !== undefined
          ? `${file}, ${size.toLocaleString('en-US')} bytes`
          : file
      }
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
