import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
} from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { archonAppDeployPermission } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { DeployCard } from './DeployCard';
import { FlowProgress } from './FlowProgress';
import { useDeployFlow } from './useDeployFlow';

/**
 * "Deploy…" for any configuration level (the Configuration page): pick a
 * target, see the dry-run diff, deploy, and follow it with the same live
 * progress panel as an app's Deploy tab. The first deploy of a path creates
 * its app (the catalog picks it up on its next refresh).
 */
export const DeployLevel = ({ path }: { path: string }) => {
  const api = useApi(archonApiRef);
  const [open, setOpen] = useState(false);
  const [instance, setInstance] = useState('');
  const runner = useDeployFlow();
  const canDeploy = usePermission({
    permission: archonAppDeployPermission,
    resourceRef: path,
  });
  const targets = useAsync(
    async () => (open ? unwrap(api.listDeployTargets({})) : undefined),
    [api, open],
  );
  const items = targets.value?.items ?? [];
  const chosen = instance || items[0]?.name || '';
  return (
    <>
      <Button
        variant="outlined"
        onClick={() => setOpen(true)}
        aria-label={`Deploy ${path}`}
      >
        Deploy…
      </Button>
      {open && (
        <Dialog
          open
          maxWidth="lg"
          fullWidth
          onClose={() => setOpen(false)}
          aria-labelledby="deploy-level-title"
        >
          <DialogTitle id="deploy-level-title">Deploy {path}</DialogTitle>
          <DialogContent>
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
                canDeploy={canDeploy.allowed}
                start={runner.start}
              />
            )}
            {runner.run && (
              <Box mt={2}>
                <FlowProgress run={runner.run} onDismiss={runner.clear} />
              </Box>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>Close</Button>
          </DialogActions>
        </Dialog>
      )}
    </>
  );
};
