import { Box, Typography } from '@material-ui/core';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { appRefOf } from '../../lib/appEntity';
import { apiPath } from '../../lib/configPaths';
import { unwrap } from '../../lib/errors';
import { AppState } from '../common/AppStatusLine';
import { useAppTarget } from '../common/useAppTarget';

/**
 * The overview card of an app: healthy/total tasks, the release it runs, the
 * configuration changed since that release, and links to its tabs.
 */
export const AppOverviewCard = () => {
  const { entity } = useEntity();
  const ref = appRefOf(entity);
  const api = useApi(archonApiRef);
  const target = useAppTarget(ref);
  const entityLink = useEntityRefLink()(entity);
  const instance = target.instance;
  const { configPath } = ref;

  const status = useAsync(async () => {
    if (!instance) return undefined;
    if (configPath) {
      const s = await unwrap(
        api.getAppStatus({ query: { instance, configPath } }),
      );
      return {
        state: s.state,
        exists: s.exists,
        healthy: s.healthy,
        instances: s.instances,
        running: s.running,
        releaseId: s.releaseId,
      };
    }
    if (!ref.appId) return undefined;
    const app = await unwrap(
      api.marathonGetApp({
        path: { instance, appId: ref.appId.replace(/^\/+/, '') },
      }),
    );
    const s = app.summary;
    return {
      state: s.status,
      exists: true,
      healthy: s.healthy,
      instances: s.instances,
      running: s.running,
      releaseId: s.releaseId,
    };
  }, [api, instance, configPath, ref.appId]);

  const pending = useAsync(async () => {
    if (!configPath) return undefined;
    return unwrap(
      api.getPendingConfigChanges({
        path: { configPath: apiPath(configPath) },
        query: {},
      }),
    );
  }, [api, configPath]);

  const pendingCount = pending.value
    ? pending.value.diff.added.length +
      pending.value.diff.removed.length +
      pending.value.diff.changed.length
    : 0;
  const s = status.value;

  return (
    <InfoCard
      title="Deployment"
      subheader={instance ? `On Marathon "${instance}"` : undefined}
    >
      <Box data-testid="app-overview">
        {(target.loading || status.loading) && <Progress />}
        {target.error && <ResponseErrorPanel error={target.error} />}
        {status.error && <ResponseErrorPanel error={status.error} />}
        {s && (
          <>
            <Box display="flex" alignItems="center" style={{ gap: 12 }}>
              <AppState state={s.state} />
              <Typography variant="body2">
                {s.exists
                  ? `${s.healthy} of ${s.instances} tasks healthy (${s.running} running)`
                  : 'Not deployed'}
              </Typography>
            </Box>
            <Typography variant="body2">
              Current release:{' '}
              {s.releaseId ? <code>{s.releaseId}</code> : 'none'}
            </Typography>
          </>
        )}
        {configPath && (
          <Typography variant="body2" component="div">
            {pending.loading && 'Reading configuration changes…'}
            {pending.error &&
              `Pending configuration changes unknown: ${pending.error.message}`}
            {pending.value &&
              (pendingCount === 0
                ? 'No configuration changes since the running release.'
                : `${pendingCount} configuration change${
                    pendingCount === 1 ? '' : 's'
                  } not deployed yet (${[
                    ...pending.value.diff.added.map(d => d.key),
                    ...pending.value.diff.changed.map(d => d.key),
                    ...pending.value.diff.removed.map(d => d.key),
                  ]
                    .slice(0, 5)
                    .join(', ')}${pendingCount > 5 ? ', …' : ''}).`)}
          </Typography>
        )}
        <Box
          display="flex"
          style={{ gap: 16 }}
          mt={1}
          component="nav"
          aria-label="archon tabs"
        >
          {configPath && <Link to={`${entityLink}/deploy`}>Deploy</Link>}
          <Link to={`${entityLink}/monitor`}>Monitor</Link>
          {configPath && <Link to={`${entityLink}/config`}>Config</Link>}
        </Box>
      </Box>
    </InfoCard>
  );
};
