import { useState } from 'react';
import { Grid, MenuItem, TextField, Typography } from '@material-ui/core';
import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonAppDeployPermission,
  archonAppDestroyPermission,
  archonAppScalePermission,
  archonMarathonTargetManagePermission,
} from '@archon/plugin-archon-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { archonApiRef } from '../../api';
import { APP_ANNOTATIONS, appRefOf } from '../../lib/appEntity';
import { unwrap } from '../../lib/errors';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { useAppTarget } from '../common/useAppTarget';
import { useClusterPermission } from '../common/useClusterPermission';
import { AppStatusLine } from '../common/AppStatusLine';
import { DeployCard } from './DeployCard';
import { FlowProgress } from './FlowProgress';
import { OperationsCard } from './OperationsCard';
import { ReleaseHistory } from './ReleaseHistory';
import { useDeployFlow } from './useDeployFlow';

/**
 * The "Deploy" tab of an app: dry run and deploy with live progress, scale,
 * restart and suspend, and its releases with compare and rollback.
 */
export const EntityDeployContent = () => {
  const { entity } = useEntity();
  const ref = appRefOf(entity);
  const api = useApi(archonApiRef);
  const target = useAppTarget(ref);
  const [refresh, setRefresh] = useState(0);
  const runner = useDeployFlow(() => setRefresh(r => r + 1));
  const configPath = ref.configPath;
  const instance = target.instance;
  const canDeploy = usePermission({
    permission: archonAppDeployPermission,
    resourceRef: configPath,
  });
  const canScale = usePermission({
    permission: archonAppScalePermission,
    resourceRef: configPath,
  });
  const canDestroy = usePermission({
    permission: archonAppDestroyPermission,
    resourceRef: configPath,
  });
  // Every change also needs the target's permission (#20), asked for each
  // target the picker offers.
  const onTargets = useClusterPermission(
    archonMarathonTargetManagePermission,
    'marathon',
    target.targets.map(t => t.name),
  );
  const onTarget = !!instance && onTargets.allowed.has(instance);
  const refused = (doing: string) =>
    onTargets.loading || onTarget
      ? undefined
      : `${doing} ${instance} needs archon.marathon.target.manage there.`;
  const status = useAsyncRetry(async () => {
    if (!configPath || !instance) return undefined;
    return unwrap(api.getAppStatus({ query: { instance, configPath } }));
  }, [api, configPath, instance, refresh]);

  if (!configPath) {
    return (
      <WarningPanel
        title="Not deployable from archon"
        message={`This entity has no ${APP_ANNOTATIONS.configPath} annotation, so there is no configuration to deploy.`}
      />
    );
  }
  if (target.loading) return <Progress />;
  if (target.error) return <ResponseErrorPanel error={target.error} />;
  if (!instance) {
    return (
      <WarningPanel
        title="No deploy target"
        message="archon has no Marathon instance configured to deploy to."
      />
    );
  }
  const common = {
    configPath,
    instance,
    busy: runner.busy,
    start: runner.start,
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SystemsDownBanner
          kinds={['marathon', 'zookeeper']}
          consequence="Deploys and operations fail until it is back."
        />
      </Grid>
      <Grid item xs={12}>
        {target.targets.length > 1 && (
          <TextField
            id="deploy-target"
            select
            label="Deploy target"
            size="small"
            variant="outlined"
            value={instance}
            onChange={e => target.setInstance(e.target.value)}
            style={{ minWidth: 200, marginBottom: 8 }}
          >
            {target.targets.map(t => (
              <MenuItem key={t.name} value={t.name}>
                {t.name} ({t.kind})
                {onTargets.denied.includes(t.name) &&
                  ' · needs archon.marathon.target.manage'}
              </MenuItem>
            ))}
          </TextField>
        )}
        {status.error && <ResponseErrorPanel error={status.error} />}
        {status.value && <AppStatusLine status={status.value} />}
        {status.loading && !status.value && (
          <Typography variant="body2">
            Reading what runs on {instance}…
          </Typography>
        )}
      </Grid>
      {runner.run && (
        <Grid item xs={12}>
          <FlowProgress run={runner.run} onDismiss={runner.clear} />
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <DeployCard
          {...common}
          canDeploy={canDeploy.allowed && onTarget}
          refusal={canDeploy.allowed ? refused('Deploying to') : undefined}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <OperationsCard
          {...common}
          status={status.value}
          canOperate={canScale.allowed && onTarget}
          canDestroy={canDestroy.allowed && onTarget}
          refusal={
            canScale.allowed ? refused('Changing the app on') : undefined
          }
        />
      </Grid>
      <Grid item xs={12}>
        <ReleaseHistory
          {...common}
          refreshKey={refresh}
          canDeploy={canDeploy.allowed && onTarget}
        />
      </Grid>
    </Grid>
  );
};
