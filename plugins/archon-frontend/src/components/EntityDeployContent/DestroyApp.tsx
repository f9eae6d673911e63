import { useState } from 'react';
import { Button, TextField, Typography } from '@material-ui/core';
import { useApi } from '@backstage/frontend-plugin-api';
import type { TypedResponse } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { ConfirmDialog } from '../common/ConfirmDialog';

type Start = (
  title: string,
  request: () => Promise<TypedResponse<unknown>>,
) => void;

/**
 * The typed-name confirmation of a destroy (the API needs `confirm` equal to
 * the configuration path) and its `POST /apps/destroy`; the Deploy tab's
 * Destroy button and the Marathon page's row action open it.
 */
export const DestroyAppDialog = (props: {
  configPath: string;
  instance: string;
  appId?: string;
  start: Start;
  onClose: () => void;
}) => {
  const { configPath, instance } = props;
  const api = useApi(archonApiRef);
  const [typed, setTyped] = useState('');
  return (
    <ConfirmDialog
      open
      danger
      title={`Destroy ${props.appId ?? configPath} on ${instance}?`}
      confirmLabel="Destroy"
      disabled={typed !== configPath}
      onClose={props.onClose}
      onConfirm={() => {
        props.onClose();
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
  );
};

/** Destroy of the app a configuration path deployed: a button and its confirmation. */
export const DestroyApp = (props: {
  configPath: string;
  instance: string;
  appId?: string;
  disabled: boolean;
  start: Start;
}) => {
  const [open, setOpen] = useState(false);
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
        <DestroyAppDialog
          configPath={props.configPath}
          instance={props.instance}
          appId={props.appId}
          start={props.start}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
};
