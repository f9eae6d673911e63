import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ConfigTreeNode } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { DeployToTarget } from '../EntityDeployContent/DeployToTarget';
import { useDeployFlow } from '../EntityDeployContent/useDeployFlow';

/** Every level below the root, depth first, as the picker lists them. */
export function configPathsOf(node: ConfigTreeNode): string[] {
  const own = node.path === '/' ? [] : [node.path];
  return [...own, ...(node.children ?? []).flatMap(configPathsOf)];
}

/** How deep the picker reads the tree (the API's maximum). */
const TREE_DEPTH = 32;

/**
 * The Marathon page's "Deploy a configuration path…": pick a level of the
 * configuration tree, then a target, see the dry run's plan and deploy with
 * live progress (the Configuration page's Deploy dialog, with a path picker
 * in front). `onFinished` lets the page re-read its apps.
 */
export const DeployPathDialog = (props: {
  onFinished?: () => void;
  /** The target offered first: the instance the page shows. */
  initialTarget?: string;
}) => {
  const api = useApi(archonApiRef);
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState<string | null>(null);
  const runner = useDeployFlow(() => props.onFinished?.());
  const tree = useAsync(
    async () =>
      open
        ? unwrap(
            api.getConfigTree({ query: { prefix: '/', depth: TREE_DEPTH } }),
          )
        : undefined,
    [api, open],
  );
  const paths = tree.value ? configPathsOf(tree.value) : [];
  // The chosen path and a deploy's progress stay when the dialog closes: a
  // deploy goes on, and opening the dialog again shows where it is.
  const close = () => setOpen(false);
  return (
    <>
      <Button variant="contained" color="primary" onClick={() => setOpen(true)}>
        Deploy a configuration path…
      </Button>
      {open && (
        <Dialog
          open
          maxWidth="lg"
          fullWidth
          onClose={close}
          aria-labelledby="deploy-path-title"
        >
          <DialogTitle id="deploy-path-title">
            Deploy a configuration path
          </DialogTitle>
          <DialogContent>
            {tree.loading && <Progress />}
            {tree.error && <ResponseErrorPanel error={tree.error} />}
            {tree.value && (
              <Box mb={2}>
                <Autocomplete
                  id="deploy-path-picker"
                  options={paths}
                  value={path}
                  disabled={runner.busy}
                  onChange={(_, value) => {
                    setPath(value);
                    runner.clear();
                  }}
                  renderInput={params => (
                    <TextField
                      {...params}
                      label="Configuration path"
                      size="small"
                      variant="outlined"
                      helperText={
                        paths.length === 0
                          ? 'The configuration tree has no levels yet: create one on the Configuration page.'
                          : undefined
                      }
                    />
                  )}
                  style={{ maxWidth: 560 }}
                />
              </Box>
            )}
            {path && (
              <DeployToTarget
                key={path}
                path={path}
                runner={runner}
                initialTarget={props.initialTarget}
              />
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={close}>Close</Button>
          </DialogActions>
        </Dialog>
      )}
    </>
  );
};
