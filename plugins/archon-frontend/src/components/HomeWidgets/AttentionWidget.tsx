import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import type { HomeAttentionCount } from '@archon/plugin-archon-common';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import {
  configRouteRef,
  connectRouteRef,
  kafkaRouteRef,
  marathonRouteRef,
  pipelinesRouteRef,
} from '../../routes';
import { usePolled } from '../PipelinesPage/usePolled';

type CountId = HomeAttentionCount['id'];

/** The cluster of the first counted node (`group:local/orders` → `local`). */
const clusterOf = (count: HomeAttentionCount) =>
  count.items?.[0]?.match(/^[a-z-]+:([^/]+)\//)?.[1];

/**
 * Where each count's rows are, filtered to exactly those rows: the query
 * string each page reads (`?state=`, `?drift=`, `?failing=`, `?group=`).
 */
function useCountLinks(): Record<
  CountId,
  (count: HomeAttentionCount) => string | undefined
> {
  const marathon = useRouteRef(marathonRouteRef)?.();
  const connect = useRouteRef(connectRouteRef)?.();
  const kafka = useRouteRef(kafkaRouteRef)?.();
  const pipelines = useRouteRef(pipelinesRouteRef)?.();
  const config = useRouteRef(configRouteRef)?.();
  const at = (page: string | undefined, query: string) =>
    page && `${page}?${query}`;
  return {
    'apps-failing': () => at(marathon, 'state=crash-looping,degraded'),
    'connectors-failing': () => at(connect, 'state=FAILED'),
    // The groups tab's `lagging` filter applies the count's own rule (time lag over the threshold).
    'groups-lagging': count => {
      const cluster = clusterOf(count);
      return cluster
        ? at(
            kafka,
            `cluster=${encodeURIComponent(cluster)}&tab=groups&lagging=true`,
          )
        : undefined;
    },
    'drift-edges': () => at(pipelines, 'drift=true'),
    'config-levels-failing': () => at(config, 'failing=true'),
    'config-undeployed': () => at(config, 'undeployed=true'),
  };
}

/**
 * The counts that need attention (GET /home/summary, one read, polled every
 * 15 s), each a link to the page filtered to its rows; "unknown" with why
 * when archon could not read a count's source, never 0.
 */
export const AttentionWidget = () => {
  const api = useApi(archonApiRef);
  const links = useCountLinks();
  const { value, error, loading } = usePolled(
    () => unwrap(api.getHomeSummary({})),
    'summary',
    15_000,
  );
  if (loading && !value) return <Progress />;
  if (!value) return <ResponseErrorPanel error={error!} />;
  return (
    <List dense disablePadding data-testid="home-attention">
      {value.counts.map(count => {
        const to = count.count ? links[count.id](count) : undefined;
        const figure =
          count.count === undefined ? 'unknown' : String(count.count);
        return (
          <ListItem key={count.id} disableGutters data-count={count.id}>
            <ListItemText
              primary={
                <>
                  <Typography
                    component="span"
                    variant="h6"
                    color={count.count ? 'error' : 'textPrimary'}
                    style={{ marginRight: 8 }}
                  >
                    {to ? <Link to={to}>{figure}</Link> : figure}
                  </Typography>
                  {count.label}
                </>
              }
              secondary={
                count.unknown ??
                // Every count's page filters to its rows; without a link
                // (e.g. its page is not mounted) the rows are named here.
                (count.count && !to
                  ? count.items
                      ?.slice(0, 5)
                      .map(item => item.replace(/^[a-z-]+:/, ''))
                      .join(', ')
                  : undefined) ??
                (count.stale ? `as of ${count.asOf} (stale)` : undefined)
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
};
