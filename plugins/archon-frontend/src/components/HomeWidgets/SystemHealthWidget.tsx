import {
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ArchonSystemHealth } from '@archon/plugin-archon-common';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { useEffect, useState } from 'react';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { usePolled } from '../PipelinesPage/usePolled';

/** What a health `kind` is called (the glossary's words). */
const SYSTEM_WORDS: Record<string, string> = {
  zookeeper: 'ZooKeeper ensemble',
  kafka: 'Kafka cluster',
  'kafka-connect': 'Connect cluster',
  marathon: 'Marathon instance',
};

/** The order the systems are listed in: configuration store first, then data, then apps. */
const ORDER = ['zookeeper', 'kafka', 'kafka-connect', 'marathon'];

/** "4 s", "3 min": how long ago, for a probe's age. */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 60 ? `${min} min` : `${Math.round(min / 60)} h`;
}

/**
 * "since 09:12 (for 4 min)": since when the system has had its status, from
 * `/health`'s `since`; "since at least 09:12" when that was archon's first
 * probe of the system (the state may be older). Undefined without `since`.
 */
export function sinceClause(
  s: ArchonSystemHealth,
  now: number,
): string | undefined {
  if (!s.since) return undefined;
  const at = new Date(s.since);
  const clock = at.toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  return `since ${
    s.sinceUnknownBefore ? 'at least ' : ''
  }${clock} (for ${ageText(now - at.getTime())})`;
}

/** Re-renders every second so the ages tick between polls. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * Each configured system (ZooKeeper ensembles, Kafka and Connect clusters,
 * Marathon instances) with its system status, since when it has had it, and
 * the age of its last probe,
 * from archon's background probes (GET /health), polled every 10 s.
 */
export const SystemHealthWidget = () => {
  const api = useApi(archonApiRef);
  const now = useNow();
  const { value, error, loading } = usePolled(
    async () => ({
      health: await unwrap(api.getHealth({ query: {} })),
      receivedAt: Date.now(),
    }),
    'health',
    10_000,
  );
  if (loading && !value) return <Progress />;
  if (!value) return <ResponseErrorPanel error={error!} />;
  const systems = [...value.health.systems].sort(
    (a, b) =>
      (ORDER.indexOf(a.kind) + 1 || 99) - (ORDER.indexOf(b.kind) + 1 || 99) ||
      a.name.localeCompare(b.name),
  );
  const probedAgo = (s: ArchonSystemHealth) => {
    const probedAt = s.checkedAt
      ? Date.parse(s.checkedAt)
      : value.receivedAt - (s.ageMs ?? 0);
    return `probed ${ageText(now - probedAt)} ago`;
  };
  return (
    <List dense disablePadding data-testid="home-system-health">
      {systems.map(s => (
        <ListItem key={`${s.kind}/${s.name}`} disableGutters>
          <ListItemText
            primary={
              <>
                {s.status === 'up' ? (
                  <StatusOK>up</StatusOK>
                ) : (
                  <StatusError>unreachable</StatusError>
                )}{' '}
                {SYSTEM_WORDS[s.kind] ?? s.kind} <b>{s.name}</b>
              </>
            }
            secondary={
              <Typography
                variant="caption"
                color="textSecondary"
                title={s.sinceUnknownBefore}
              >
                {[
                  [s.status, sinceClause(s, now)].filter(Boolean).join(' '),
                  probedAgo(s),
                  s.version,
                  s.status === 'up' ? undefined : s.error,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Typography>
            }
          />
        </ListItem>
      ))}
      {error && (
        <Typography variant="caption" color="error">
          The last refresh failed ({error.message}); showing the one before.
        </Typography>
      )}
    </List>
  );
};
