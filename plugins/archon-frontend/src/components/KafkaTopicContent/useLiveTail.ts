import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { KafkaMessage } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { readEventStream } from '../../lib/sse';

/** The newest live messages kept on the page. */
export const LIVE_KEEP = 500;

export interface LiveTailFilter {
  partition?: number;
  key?: string;
  valueContains?: string;
  jsonPath?: string;
}

export interface LiveTail {
  /** Newest first. */
  messages: KafkaMessage[];
  /**
   * `connecting`, `live` (attached), `reconnecting` (the cluster does not
   * answer for now; the backend keeps trying), `ended` (lifetime over, the
   * cluster stopped answering for good or an error).
   */
  phase: 'off' | 'connecting' | 'live' | 'reconnecting' | 'ended';
  /** Why it ended, or why it is reconnecting. */
  reason?: string;
}

/**
 * Follows the topic's live tail (server-sent events) while `enabled`; the
 * stream is cancelled when `enabled` turns false, the filter changes or the
 * component unmounts (the page is left), which ends the backend's fetching.
 */
export function useLiveTail(
  cluster: string,
  topic: string,
  filter: LiveTailFilter,
  enabled: boolean,
): LiveTail {
  const api = useApi(archonApiRef);
  const [state, setState] = useState<LiveTail>({ messages: [], phase: 'off' });
  const { partition, key, valueContains, jsonPath } = filter;
  useEffect(() => {
    if (!enabled) {
      setState(s => (s.phase === 'off' ? s : { ...s, phase: 'off' }));
      return undefined;
    }
    const controller = new AbortController();
    setState({ messages: [], phase: 'connecting' });
    const end = (reason: string) =>
      setState(s => ({ ...s, phase: 'ended', reason }));
    readEventStream(
      api.kafkaTailMessages({
        path: { cluster, topic },
        query: {
          partition,
          key: key || undefined,
          valueContains: valueContains || undefined,
          jsonPath: jsonPath || undefined,
          maxSeconds: 3600,
        },
      }),
      ({ event, data }) => {
        if (event === 'attached') setState(s => ({ ...s, phase: 'live' }));
        else if (event === 'status') {
          const status = data as { state?: string; reason?: string };
          setState(s =>
            status.state === 'reconnecting'
              ? { ...s, phase: 'reconnecting', reason: status.reason }
              : { ...s, phase: 'live', reason: undefined },
          );
        } else if (event === 'message')
          setState(s => ({
            ...s,
            messages: [data as KafkaMessage, ...s.messages].slice(0, LIVE_KEEP),
          }));
        else if (event === 'end')
          end((data as { reason?: string }).reason ?? 'ended');
        else if (event === 'error')
          end(
            (data as { message?: string }).message ??
              'the cluster stopped answering',
          );
      },
      controller.signal,
    )
      .then(() => {
        if (!controller.signal.aborted)
          setState(s =>
            s.phase === 'ended'
              ? s
              : { ...s, phase: 'ended', reason: 'the stream closed' },
          );
      })
      .catch(e => {
        if (!controller.signal.aborted) end((e as Error).message);
      });
    return () => controller.abort();
  }, [api, cluster, topic, partition, key, valueContains, jsonPath, enabled]);
  return state;
}
