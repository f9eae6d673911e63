import { useState } from 'react';
import { Box, CircularProgress, Grid, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonConnectConnectorManagePermission,
  clusterResourceRef,
} from '@archon/plugin-archon-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { archonApiRef } from '../../api';
import { isApiError, unwrap } from '../../lib/errors';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { ConnectorConfigEditor } from './ConnectorConfigEditor';
import { ConnectorStatusCard } from './ConnectorStatusCard';
import { ConnectorTasksCard } from './ConnectorTasksCard';
import { ConnectorTopicsCard } from './ConnectorTopicsCard';
import { actionLabel, useConnectorActions } from './useConnectorActions';

export const CONNECT_CLUSTER_ANNOTATION = 'archon.io/connect-cluster';
export const CONNECTOR_ANNOTATION = 'archon.io/connector';

const ConnectorDetails = (props: {
  cluster: string;
  name: string;
  kafkaCluster?: string;
}) => {
  const { cluster, name } = props;
  const api = useApi(archonApiRef);
  // Decided per Connect cluster (#20).
  const permission = usePermission({
    permission: archonConnectConnectorManagePermission,
    resourceRef: clusterResourceRef('connect', cluster),
  });
  const canManage = permission.allowed;
  let denied: string | undefined;
  if (permission.loading) denied = 'Checking your permissions…';
  else if (!canManage)
    denied = `You may not change connectors on ${cluster} (archon.connect.connector.manage).`;
  const [reloadKey, setReloadKey] = useState(0);
  const connector = useAsyncRetry(
    () => unwrap(api.connectGetConnector({ path: { cluster, name } })),
    [api, cluster, name, reloadKey],
  );
  const reload = () => setReloadKey(k => k + 1);
  const actions = useConnectorActions(cluster, name, reload);
  const c = connector.value;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SystemsDownBanner
          kinds={['kafka-connect']}
          consequence="The connector cannot be read or managed until it is back."
        />
        {actions.busy && (
          <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
            <CircularProgress size={18} />
            <Typography variant="body2">
              Requesting {actionLabel(actions.busy, name)}…
            </Typography>
          </Box>
        )}
        {actions.notice && (
          <Alert
            severity={actions.notice.severity}
            onClose={actions.clearNotice}
          >
            {actions.notice.text}
          </Alert>
        )}
      </Grid>
      {connector.loading && !c && (
        <Grid item xs={12}>
          <Progress />
        </Grid>
      )}
      {connector.error && (
        <Grid item xs={12}>
          {isApiError(connector.error, 404) ? (
            <WarningPanel
              title={`Connector ${name} does not exist on ${cluster}`}
              message="It may have been deleted; the catalog removes this entity at its next refresh."
            />
          ) : (
            <ResponseErrorPanel error={connector.error} />
          )}
        </Grid>
      )}
      {c && (
        <>
          <Grid item xs={12} md={7}>
            <ConnectorStatusCard
              cluster={cluster}
              connector={c}
              canManage={canManage}
              denied={!permission.loading && !canManage}
              busy={!!actions.busy}
              onAction={actions.run}
              onRefresh={reload}
            />
          </Grid>
          <Grid item xs={12} md={5}>
            <ConnectorTopicsCard
              cluster={cluster}
              name={name}
              kafkaCluster={props.kafkaCluster}
              reloadKey={reloadKey}
            />
          </Grid>
          <Grid item xs={12}>
            <ConnectorTasksCard
              tasks={c.tasks}
              canManage={canManage}
              busy={!!actions.busy}
              onAction={actions.run}
            />
          </Grid>
          <Grid item xs={12}>
            <InfoCard title="Config">
              <ConnectorConfigEditor
                key={`${cluster}/${name}`}
                cluster={cluster}
                name={name}
                initialConfig={c.config}
                saveLabel="Save config"
                disabledReason={denied}
                onSave={async config => {
                  await unwrap(
                    api.connectUpdateConnectorConfig({
                      path: { cluster, name },
                      body: { config },
                    }),
                  );
                  reload();
                  return `Saved the config of ${name}; Connect restarts its tasks with it.`;
                }}
              />
            </InfoCard>
          </Grid>
        </>
      )}
    </Grid>
  );
};

/**
 * The "Connector" tab of a kafka-connector Component: state and worker,
 * restart / pause / resume / stop, tasks with their failure traces, the
 * topics it uses (linked to their entities), and its config with
 * validation on edit.
 */
export const EntityConnectorContent = () => {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const cluster = annotations[CONNECT_CLUSTER_ANNOTATION];
  const name = annotations[CONNECTOR_ANNOTATION];
  if (!cluster || !name) {
    return (
      <WarningPanel
        title="Not a connector archon knows"
        message={`This entity needs the ${CONNECT_CLUSTER_ANNOTATION} and ${CONNECTOR_ANNOTATION} annotations.`}
      />
    );
  }
  return (
    <ConnectorDetails
      cluster={cluster}
      name={name}
      kafkaCluster={annotations['archon.io/kafka-cluster']}
    />
  );
};
