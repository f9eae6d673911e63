import {
  Link,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef as useLegacyRouteRef } from '@backstage/core-plugin-api';
import { useApi } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { DeployFlow } from '@archon/plugin-archon-common';
import {
  Box,
  List,
  ListItem,
  ListItemText,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { Identifier } from '../common/ArchonTable';
import { useCatalogRefs } from '../common/useCatalogRefs';
import { usePolled } from '../PipelinesPage/usePolled';

/** How many deploys the card lists. */
export const RECENT_DEPLOYS = 8;

/** A deployment's status word (the API's) with its colour. */
const Outcome = ({ flow }: { flow: DeployFlow }) => {
  switch (flow.status) {
    case 'succeeded':
      return <StatusOK>succeeded</StatusOK>;
    case 'running':
      return <StatusRunning>running</StatusRunning>;
    case 'timeout':
      return <StatusWarning>timeout</StatusWarning>;
    default:
      return <StatusError>{flow.status}</StatusError>;
  }
};

/** A secondary line that ends in an ellipsis when it does not fit, whole in its tooltip. */
const OneLine = ({ text }: { text: string }) => (
  <Tooltip title={text}>
    <Typography variant="body2" color="textSecondary" noWrap>
      {text}
    </Typography>
  </Tooltip>
);

const appKey = (a: Record<string, string>) =>
  a['archon.io/marathon-instance'] && a['archon.io/marathon-app-id']
    ? `${a['archon.io/marathon-instance']}:${a['archon.io/marathon-app-id']}`
    : undefined;

/**
 * The latest deployments (deploys, rollbacks and operations) with their
 * outcome, newest first (GET /deployments, polled every 15 s), each linking
 * to its app's Deploy tab once the catalog has the app.
 */
export const RecentDeploysWidget = () => {
  const api = useApi(archonApiRef);
  const entityRoute = useLegacyRouteRef(entityRouteRef);
  const { value, error, loading } = usePolled(
    () =>
      unwrap(api.listDeployments({ query: { limit: RECENT_DEPLOYS } })).then(
        list => list.items,
      ),
    'deployments',
    15_000,
  );
  const apps = [
    ...new Set(
      (value ?? []).filter(f => f.workloadId).map(f => f.workloadId as string),
    ),
  ];
  const refs = useCatalogRefs({
    kind: 'Component',
    type: 'service',
    whereIn: { 'archon.io/marathon-app-id': apps },
    keyOf: appKey,
  });
  if (loading && !value) return <Progress />;
  if (!value) return <ResponseErrorPanel error={error!} />;
  if (value.length === 0) {
    return <Typography>No deployments yet.</Typography>;
  }
  const deployTab = (flow: DeployFlow) => {
    const ref = refs.get(`${flow.instance}:${flow.workloadId}`);
    if (!ref) return undefined;
    const { kind, namespace, name } = parseEntityRef(ref);
    return `${entityRoute({ kind, namespace, name })}/deploy`;
  };
  return (
    <List dense disablePadding data-testid="home-recent-deploys">
      {value.map(flow => {
        const app = flow.workloadId ?? flow.configPath ?? flow.id;
        const to = deployTab(flow);
        const details = [
          flow.instance,
          flow.startedAt && new Date(flow.startedAt).toLocaleString(),
          flow.actor,
        ]
          .filter(Boolean)
          .join(' · ');
        return (
          <ListItem key={flow.id} disableGutters>
            <ListItemText
              disableTypography
              // App ids and actors are single words wider than the card:
              // each line ends in an ellipsis, whole in its tooltip.
              style={{ minWidth: 0 }}
              primary={
                <Box
                  display="flex"
                  alignItems="center"
                  style={{ gap: 6, minWidth: 0 }}
                >
                  <Box flexShrink={0} display="flex">
                    <Outcome flow={flow} />
                  </Box>{' '}
                  <Typography variant="body2" style={{ flexShrink: 0 }}>
                    {flow.kind}
                  </Typography>{' '}
                  <Box minWidth={0} display="flex">
                    <Identifier text={app} maxWidth="100%" copy={false}>
                      {to ? <Link to={to}>{app}</Link> : <b>{app}</b>}
                    </Identifier>
                  </Box>
                </Box>
              }
              secondary={
                <>
                  <OneLine text={details} />
                  {flow.outcome?.reason && (
                    // Why a deploy ended as it did: read in full, wrapped
                    // between words (the theme's list text is one line).
                    <Typography
                      variant="body2"
                      color="textSecondary"
                      style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}
                    >
                      {flow.outcome.reason}
                    </Typography>
                  )}
                </>
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
};
