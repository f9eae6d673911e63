import { useState } from 'react';
import { Button, TextField, Typography } from '@material-ui/core';
import { useApi } from '@backstage/frontend-plugin-api';
import type { TypedResponse } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { ConfirmDialog } from '../common/ConfirmDialog';

/**
 * Destroy of the app a configuration path deployed, behind the typed-name
 * confirmation the API needs (`confirm` equal to the configuration path).
 */
export const DestroyApp = (props: {
  configPath: string;
  instance: string;
  appId?: string;
  disabled: boolean;
  start: (
    title: string,
    request: () => Promise<TypedResponse<unknown>>,
  ) => void;
}) => {
  const { configPath, instance } = props;
  const api = useApi(archonApiRef);
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const close = () => {
    setOpen(false);
    setTyped('');
  };
  return (
    <>
      <Button
        variant="outlined"
        color="secondary"
        disabled={props.disabled}
        onClick={() => setOpen(true)}
      >
        Destroy…
      </Button>
      {open && (
        <ConfirmDialog
          open
          danger
          title={`Destroy ${props.appId ?? configPath} on ${instance}?`}
          confirmLabel="Destroy"
          disabled={typed !== configPath}
          onClose={close}
          onConfirm={() => {
            close();
            props.start(`Destroy ${props.appId ?? configPath}`, () =>
              api.destroyApp({
                body: { configPath, instance, confirm: configPath },
              }),
            );
          }}
        >
          <Typography variant="body2" gutterBottom>
            Stops every task and removes the app with its version history. Its
            releases stay; deploying {configPath} again brings it back.
          </Typography>
          <TextField
            id="destroy-confirm"
            label={`Type ${configPath} to confirm`}
            size="small"
            variant="outlined"
            fullWidth
            value={typed}
            onChange={e => setTyped(e.target.value)}
          />
        </ConfirmDialog>
      )}
    </>
  );
};
