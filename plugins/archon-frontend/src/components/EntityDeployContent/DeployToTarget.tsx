import { useState } from 'react';
import { Box, MenuItem, TextField } from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonAppDeployPermission,
  archonMarathonTargetManagePermission,
} from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { useClusterPermission } from '../common/useClusterPermission';
import { DeployCard } from './DeployCard';
import { FlowProgress } from './FlowProgress';
import type { useDeployFlow } from './useDeployFlow';

/**
 * Deploy of one configuration path to a target picked from the deploy
 * targets: the dry run's plan, the confirmation and the live progress, as an
 * app's Deploy tab shows them. The caller owns the runner, so it can tell
 * when a deploy is in flight (and refresh what the deploy changed).
 */
export const DeployToTarget = ({
  path,
  runner,
  initialTarget,
}: {
  path: string;
  runner: ReturnType<typeof useDeployFlow>;
  /** The target chosen at first (e.g. the Marathon page's instance); else the first one. */
  initialTarget?: string;
}) => {
  const api = useApi(archonApiRef);
  const [instance, setInstance] = useState(initialTarget ?? '');
  const canDeploy = usePermission({
    permission: archonAppDeployPermission,
    resourceRef: path,
  });
  const targets = useAsync(
    async () => unwrap(api.listDeployTargets({})),
    [api],
  );
  const items = targets.value?.items ?? [];
  const chosen =
    (items.some(t => t.name === instance) ? instance : items[0]?.name) ?? '';
  // Deploying needs the target's permission too (#20), asked for each target.
  const onTargets = useClusterPermission(
    archonMarathonTargetManagePermission,
    'marathon',
    items.map(t => t.name),
  );
  const onTarget = onTargets.allowed.has(chosen);
  return (
    <>
      {targets.loading && <Progress />}
      {targets.error && <ResponseErrorPanel error={targets.error} />}
      {items.length > 0 && (
        <Box mb={2}>
          <TextField
            id="deploy-level-target"
            select
            label="Target"
            size="small"
            variant="outlined"
            value={chosen}
            disabled={runner.busy}
            onChange={e => setInstance(e.target.value)}
            style={{ minWidth: 240 }}
          >
            {items.map(t => (
              <MenuItem key={t.name} value={t.name}>
                {t.name} ({t.kind})
                {onTargets.denied.includes(t.name) &&
                  ' · needs archon.marathon.target.manage'}
              </MenuItem>
            ))}
          </TextField>
        </Box>
      )}
      {chosen && (
        <DeployCard
          key={chosen}
          configPath={path}
          instance={chosen}
          busy={runner.busy}
          canDeploy={canDeploy.allowed && onTarget}
          refusal={
            canDeploy.allowed && !onTargets.loading && !onTarget
              ? `Deploying to ${chosen} needs archon.marathon.target.manage there.`
              : undefined
          }
          start={runner.start}
        />
      )}
      {runner.run && (
        <Box mt={2}>
          <FlowProgress run={runner.run} onDismiss={runner.clear} />
        </Box>
      )}
    </>
  );
};
