import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@material-ui/core';
import { DeployToTarget } from './DeployToTarget';
import { useDeployFlow } from './useDeployFlow';

/**
 * "Deploy…" for any configuration level (the Configuration page): pick a
 * target, see the dry-run diff, deploy, and follow it with the same live
 * progress panel as an app's Deploy tab. The first deploy of a path creates
 * its app (the catalog picks it up on its next refresh).
 */
export const DeployLevel = ({ path }: { path: string }) => {
  const [open, setOpen] = useState(false);
  const runner = useDeployFlow();
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
            <DeployToTarget path={path} runner={runner} />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>Close</Button>
          </DialogActions>
        </Dialog>
      )}
    </>
  );
};
