import { useEffect, useRef, useState } from 'react';
import { Typography, makeStyles } from '@material-ui/core';
import {
  InfoCard,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { archonApiRef } from '../../api';
import { apiAppId } from '../../lib/appEntity';
import { readEventStream } from '../../lib/sse';

const useStyles = makeStyles(theme => ({
  feed: {
    listStyle: 'none',
    margin: 0,
    padding: theme.spacing(1),
    maxHeight: 320,
    overflow: 'auto',
    fontFamily: 'monospace',
    fontSize: '0.8em',
    background: theme.palette.background.default,
  },
  time: { color: theme.palette.text.secondary, marginRight: theme.spacing(1) },
}));

/** Events kept on screen, newest first. */
const MAX_EVENTS = 200;
/** Wait before re-attaching after the stream ended or failed. */
export const RECONNECT_MS = 5_000;

export interface FeedEvent {
  key: number;
  type: string;
  at: string;
  text: string;
}

/** One line for a Marathon event: its type and the fields that say what happened. */
export function describeEvent(
  type: string,
  data: Record<string, unknown>,
): string {
  const parts: string[] = [];
  for (const field of [
    'taskStatus',
    'taskId',
    'host',
    'alive',
    'message',
    'id',
    'currentType',
  ]) {
    const value = data[field];
    if (value !== undefined && value !== null && value !== '')
      parts.push(`${field}=${String(value)}`);
  }
  return `${type}${parts.length ? ` ${parts.join(' ')}` : ''}`;
}

const FeedState = (props: {
  state: 'connecting' | 'live' | 'reconnecting';
  lastError?: string;
}) => {
  if (props.state === 'live') return <StatusOK>live</StatusOK>;
  if (props.state === 'connecting')
    return <StatusPending>connecting</StatusPending>;
  return (
    <StatusWarning>
      reconnecting{props.lastError ? ` (${props.lastError})` : ''}
    </StatusWarning>
  );
};

/** The app's Marathon events as they happen (task status, health, deployments). */
export const EventFeed = (props: {
  instance: string;
  appId: string;
  onEvent?: () => void;
}) => {
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const [events, setEvents] = useState<FeedEvent[]>([]);
  const [state, setState] = useState<'connecting' | 'live' | 'reconnecting'>(
    'connecting',
  );
  const [lastError, setLastError] = useState<string>();
  const onEvent = useRef(props.onEvent);
  onEvent.current = props.onEvent;

  useEffect(() => {
    const controller = new AbortController();
    let key = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attach = async () => {
      setState('connecting');
      /** archon's `error` frame: Marathon stopped answering (why the stream ends). */
      let ended: string | undefined;
      try {
        await readEventStream(
          api.marathonStreamAppEvents({
            path: { instance: props.instance, appId: apiAppId(props.appId) },
          }),
          ({ event, data }) => {
            if (event === 'attached') {
              setState('live');
              setLastError(undefined);
              return;
            }
            if (event === 'error') {
              const message = (data as { message?: unknown })?.message;
              ended = typeof message === 'string' ? message : String(data);
              return;
            }
            const d = (typeof data === 'object' && data ? data : {}) as Record<
              string,
              unknown
            >;
            key += 1;
            const item = {
              key,
              type: event,
              at:
                typeof d.timestamp === 'string'
                  ? d.timestamp
                  : new Date().toISOString(),
              text: describeEvent(event, d),
            };
            setEvents(list => [item, ...list].slice(0, MAX_EVENTS));
            onEvent.current?.();
          },
          controller.signal,
        );
        if (controller.signal.aborted) return;
        setLastError(ended ?? 'The event stream ended');
      } catch (e) {
        if (controller.signal.aborted) return;
        setLastError((e as Error).message);
      }
      setState('reconnecting');
      timer = setTimeout(attach, RECONNECT_MS);
    };
    attach();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api, props.instance, props.appId]);

  const status = <FeedState state={state} lastError={lastError} />;

  return (
    <InfoCard
      title="Live events"
      subheader={<span data-testid="event-feed-state">{status}</span>}
    >
      {events.length === 0 ? (
        <Typography variant="body2">
          No events since this page opened.
        </Typography>
      ) : null}
      <ol
        className={classes.feed}
        role="log"
        aria-live="polite"
        aria-label="Marathon events"
      >
        {events.map(e => (
          <li key={e.key}>
            <span className={classes.time}>
              {new Date(e.at).toLocaleTimeString()}
            </span>
            {e.text}
          </li>
        ))}
      </ol>
    </InfoCard>
  );
};
