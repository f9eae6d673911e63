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
 * Destroy button and the Marathon page's row action open it. Without a
 * configuration path (an app archon did not deploy) the app id is typed and
 * the request is `POST /marathon/{instance}/apps/{appId}/destroy`.
 */
export const DestroyAppDialog = (props: {
  /** Absent for an app archon did not deploy: then `appId` names it. */
  configPath?: string;
  instance: string;
  appId?: string;
  start: Start;
  onClose: () => void;
}) => {
  const { configPath, instance } = props;
  const api = useApi(archonApiRef);
  const [typed, setTyped] = useState('');
  const name = props.appId ?? configPath ?? '';
  // What the user types: the configuration path, or the app id without one.
  const expected = configPath ?? name;
  return (
    <ConfirmDialog
      open
      danger
      title={`Destroy ${name} on ${instance}?`}
      confirmLabel="Destroy"
      disabled={typed !== expected}
      onClose={props.onClose}
      onConfirm={() => {
        props.onClose();
        props.start(`Destroy ${name}`, () =>
          configPath
            ? api.destroyApp({
                body: { configPath, instance, confirm: configPath },
              })
            : api.marathonDestroyApp({
                path: { instance, appId: name.replace(/^\//, '') },
                body: { confirm: name },
              }),
        );
      }}
    >
      <Typography variant="body2" gutterBottom>
        {configPath
          ? `Stops every task and removes the app with its version history. Its releases stay; deploying ${configPath} again brings it back.`
          : 'Stops every task and removes the app with its version history. archon did not deploy it, so archon has no release to bring it back from.'}
      </Typography>
      <TextField
        id="destroy-confirm"
        label={`Type ${expected} to confirm`}
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
