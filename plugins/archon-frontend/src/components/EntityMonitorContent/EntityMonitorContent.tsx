import { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Button, Grid } from '@material-ui/core';
import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonAppLogsReadPermission,
  archonAppScalePermission,
  archonMarathonTargetManagePermission,
  clusterResourceRef,
} from '@archon/plugin-archon-common';
import type { MarathonTask } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { archonApiRef } from '../../api';
import { apiAppId, appRefOf } from '../../lib/appEntity';
import { unwrap } from '../../lib/errors';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { useAppTarget } from '../common/useAppTarget';
import { EventFeed } from './EventFeed';
import { KafkaLinksCard } from './KafkaLinksCard';
import { LastFailureCard } from './LastFailureCard';
import { QueueCard } from './QueueCard';
import { TaskLogs } from './TaskLogs';
import { TasksCard } from './TasksCard';

/** Events that arrive closer together than this refresh the tasks once. */
const REFRESH_DEBOUNCE_MS = 1_500;

/**
 * The "Monitor" tab of an app: tasks with health and last failure, task
 * logs, deployments in flight, the launch queue, its topics' consumer groups
 * and connectors, and Marathon's live events for it.
 */
export const EntityMonitorContent = () => {
  const { entity } = useEntity();
  const ref = appRefOf(entity);
  const api = useApi(archonApiRef);
  const target = useAppTarget(ref);
  const instance = target.instance;
  const [refresh, setRefresh] = useState(0);
  const [logsOf, setLogsOf] = useState<MarathonTask>();
  const debounce = useRef<ReturnType<typeof setTimeout>>();
  const canLogs = usePermission({
    permission: archonAppLogsReadPermission,
    resourceRef: ref.configPath,
  });
  const canScale = usePermission({
    permission: archonAppScalePermission,
    resourceRef: ref.configPath,
  });
  // Resetting the delay changes the app on its instance: that permission too (#20).
  const onTarget = usePermission({
    permission: archonMarathonTargetManagePermission,
    resourceRef: clusterResourceRef('marathon', instance ?? ''),
  });

  const appId = useAsync(async () => {
    if (ref.appId) return ref.appId;
    if (!instance || !ref.configPath) return undefined;
    return (
      await unwrap(
        api.getAppStatus({ query: { instance, configPath: ref.configPath } }),
      )
    ).id;
  }, [api, ref.appId, ref.configPath, instance]);

  const app = useAsyncRetry(async () => {
    if (!instance || !appId.value) return undefined;
    return unwrap(
      api.marathonGetApp({ path: { instance, appId: apiAppId(appId.value) } }),
    );
  }, [api, instance, appId.value, refresh]);

  useEffect(() => () => clearTimeout(debounce.current), []);

  const onEvent = useCallback(() => {
    if (debounce.current) return;
    debounce.current = setTimeout(() => {
      debounce.current = undefined;
      setRefresh(r => r + 1);
    }, REFRESH_DEBOUNCE_MS);
  }, []);

  if (target.loading || appId.loading) return <Progress />;
  if (target.error) return <ResponseErrorPanel error={target.error} />;
  if (appId.error) return <ResponseErrorPanel error={appId.error} />;
  if (!instance || !appId.value) {
    return (
      <WarningPanel
        title="Nothing to monitor"
        message="This entity names no Marathon app archon can find."
      />
    );
  }
  const id = appId.value;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SystemsDownBanner kinds={['marathon', 'kafka', 'kafka-connect']} />
        <Box display="flex" justifyContent="flex-end">
          <Button
            variant="outlined"
            size="small"
            onClick={() => setRefresh(r => r + 1)}
          >
            Refresh
          </Button>
        </Box>
      </Grid>
      {/* The tasks table takes the full width: its ids stay on one line. */}
      <Grid item xs={12}>
        {app.loading && !app.value && <Progress />}
        {app.error && <ResponseErrorPanel error={app.error} />}
        {app.value && (
          <TasksCard
            app={app.value}
            canReadLogs={canLogs.allowed}
            onShowLogs={setLogsOf}
          />
        )}
      </Grid>
      <Grid item xs={12} lg={6}>
        <QueueCard
          instance={instance}
          appId={id}
          refreshKey={refresh}
          canScale={canScale.allowed && onTarget.allowed}
        />
      </Grid>
      <Grid item xs={12} lg={6}>
        <LastFailureCard
          instance={instance}
          appId={id}
          refreshKey={refresh}
          canReadLogs={canLogs.allowed}
          onShowLogs={setLogsOf}
        />
      </Grid>
      {logsOf && (
        <Grid item xs={12}>
          <TaskLogs
            key={logsOf.id}
            instance={instance}
            appId={id}
            taskId={logsOf.id}
            onClose={() => setLogsOf(undefined)}
          />
        </Grid>
      )}
      <Grid item xs={12} lg={6}>
        <EventFeed instance={instance} appId={id} onEvent={onEvent} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <KafkaLinksCard entity={entity} />
      </Grid>
    </Grid>
  );
};
