import { useState } from 'react';
import { TextField, Typography } from '@material-ui/core';
import { useApi } from '@backstage/frontend-plugin-api';
import type { TypedResponse } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { ConfirmDialog } from '../common/ConfirmDialog';

export type AppOperation = 'scale' | 'restart' | 'suspend';

/**
 * The confirmation of a scale, rolling restart or suspend of the app a
 * configuration path deployed, and its request (`POST /apps/scale|restart|
 * suspend`, audited and permission-checked by archon): the Deploy tab's
 * Operate card and the Marathon page's row actions ask the same way. Without
 * a configuration path (an app archon did not deploy) the request goes to
 * `POST /marathon/{instance}/apps/{appId}/<operation>` by the app id.
 */
export const AppOperationDialog = (props: {
  operation: AppOperation;
  /** Absent for an app archon did not deploy: then `appId` names it. */
  configPath?: string;
  instance: string;
  /** The Marathon app id, for the title (the configuration path otherwise). */
  appId?: string;
  /** Instances the app runs now. */
  current?: number;
  /** Scale: the count chosen beside the button; without it the dialog asks for one. */
  wanted?: number;
  start: (
    title: string,
    request: () => Promise<TypedResponse<unknown>>,
  ) => void;
  onClose: () => void;
}) => {
  const { operation, configPath, instance, current } = props;
  const api = useApi(archonApiRef);
  const [typed, setTyped] = useState(
    current === undefined ? '' : String(current),
  );
  const asking = operation === 'scale' && props.wanted === undefined;
  const wanted = props.wanted ?? Number(typed);
  const validCount = asking
    ? typed.trim() !== '' && Number.isInteger(wanted) && wanted >= 0
    : true;
  const name = props.appId ?? configPath ?? '';
  const now = current ?? '?';

  const texts: Record<
    AppOperation,
    { title: string; body: string; label: string }
  > = {
    scale: {
      title: asking
        ? `Scale ${name}?`
        : `Scale ${name} to ${wanted} instance${wanted === 1 ? '' : 's'}?`,
      body: `It runs ${now} now. Scaling does not restart the running tasks.`,
      label: 'Scale',
    },
    restart: {
      title: `Restart ${name}?`,
      body: `Replaces its ${now} task(s) one by one with new ones of the same definition.`,
      label: 'Restart',
    },
    suspend: {
      title: `Suspend ${name}?`,
      body: 'Scales it to 0 instances: every task stops. Its definition stays, so scaling or deploying brings it back.',
      label: 'Suspend',
    },
  };
  const text = texts[operation];

  const confirm = () => {
    props.onClose();
    if (!configPath) {
      const path = { instance, appId: name.replace(/^\//, '') };
      const title =
        operation === 'scale'
          ? `Scale ${name} to ${wanted} instance${wanted === 1 ? '' : 's'}`
          : `${operation === 'restart' ? 'Restart' : 'Suspend'} ${name}`;
      props.start(title, () => {
        if (operation === 'scale')
          return api.marathonScaleApp({ path, body: { instances: wanted } });
        if (operation === 'restart')
          return api.marathonRestartApp({ path, body: {} });
        return api.marathonSuspendApp({ path, body: {} });
      });
      return;
    }
    const body = { configPath, instance };
    if (operation === 'scale') {
      props.start(
        `Scale ${name} to ${wanted} instance${wanted === 1 ? '' : 's'}`,
        () => api.scaleApp({ body: { ...body, instances: wanted } }),
      );
    } else if (operation === 'restart') {
      props.start(`Restart ${name}`, () => api.restartApp({ body }));
    } else {
      props.start(`Suspend ${name}`, () => api.suspendApp({ body }));
    }
  };

  return (
    <ConfirmDialog
      open
      title={text.title}
      confirmLabel={text.label}
      danger={operation !== 'scale'}
      disabled={!validCount}
      onConfirm={confirm}
      onClose={props.onClose}
    >
      <Typography variant="body2" gutterBottom={asking}>
        {text.body}
      </Typography>
      {asking && (
        <TextField
          id="scale-dialog-instances"
          label="Instances"
          type="number"
          size="small"
          variant="outlined"
          inputProps={{ min: 0 }}
          value={typed}
          onChange={e => setTyped(e.target.value)}
          error={!validCount}
          helperText={validCount ? undefined : 'A whole number, 0 or more'}
        />
      )}
    </ConfirmDialog>
  );
};
