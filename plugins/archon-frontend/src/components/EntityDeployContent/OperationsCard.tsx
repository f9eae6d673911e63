import { useState } from 'react';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  DeployAppStatus,
  TypedResponse,
} from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { DestroyApp } from './DestroyApp';

type Operation = 'scale' | 'restart' | 'suspend';

/** Scale, rolling restart, suspend and destroy of the app a configuration path deployed. */
export const OperationsCard = (props: {
  configPath: string;
  instance: string;
  status?: DeployAppStatus;
  busy: boolean;
  /** archon.app.scale: scale, restart, suspend. */
  canOperate: boolean;
  /** archon.app.destroy, a permission of its own. */
  canDestroy: boolean;
  start: (
    title: string,
    request: () => Promise<TypedResponse<unknown>>,
  ) => void;
}) => {
  const { configPath, instance, status } = props;
  const api = useApi(archonApiRef);
  const [instances, setInstances] = useState('');
  const [asking, setAsking] = useState<Operation>();
  const wanted = Number(instances);
  const validCount =
    instances !== '' && Number.isInteger(wanted) && wanted >= 0;
  const exists = status?.exists ?? false;
  const disabled = props.busy || !props.canOperate || !exists;

  const texts: Record<
    Operation,
    { title: string; body: string; label: string }
  > = {
    scale: {
      title: `Scale ${status?.id ?? configPath} to ${wanted} instance${
        wanted === 1 ? '' : 's'
      }?`,
      body: `It runs ${
        status?.instances ?? '?'
      } now. Scaling does not restart the running tasks.`,
      label: 'Scale',
    },
    restart: {
      title: `Restart ${status?.id ?? configPath}?`,
      body: `Replaces its ${
        status?.instances ?? '?'
      } task(s) one by one with new ones of the same definition.`,
      label: 'Restart',
    },
    suspend: {
      title: `Suspend ${status?.id ?? configPath}?`,
      body: 'Scales it to 0 instances: every task stops. Its definition stays, so scaling or deploying brings it back.',
      label: 'Suspend',
    },
  };

  const confirm = () => {
    const operation = asking!;
    setAsking(undefined);
    const body = { configPath, instance };
    const title = texts[operation].title.replace(/\?$/, '');
    if (operation === 'scale') {
      props.start(title, () =>
        api.scaleApp({ body: { ...body, instances: wanted } }),
      );
    } else if (operation === 'restart') {
      props.start(title, () => api.restartApp({ body }));
    } else {
      props.start(title, () => api.suspendApp({ body }));
    }
  };

  return (
    <InfoCard
      title="Operate"
      subheader={`The app ${configPath} deployed to ${instance}.`}
    >
      {!exists && (
        <Typography variant="body2" gutterBottom>
          Nothing runs yet: deploy it first.
        </Typography>
      )}
      {!props.canOperate && (
        <Typography variant="body2" color="textSecondary" gutterBottom>
          You may not scale, restart or suspend this app.
        </Typography>
      )}
      <Box
        display="flex"
        alignItems="center"
        style={{ gap: 8 }}
        flexWrap="wrap"
      >
        <TextField
          id="scale-instances"
          label="Instances"
          type="number"
          size="small"
          variant="outlined"
          inputProps={{ min: 0 }}
          value={instances}
          placeholder={status ? String(status.instances) : ''}
          onChange={e => setInstances(e.target.value)}
          style={{ width: 120 }}
        />
        <Button
          variant="outlined"
          disabled={disabled || !validCount}
          onClick={() => setAsking('scale')}
        >
          Scale…
        </Button>
        <Button
          variant="outlined"
          disabled={disabled}
          onClick={() => setAsking('restart')}
        >
          Restart…
        </Button>
        <Button
          variant="outlined"
          disabled={disabled || status?.instances === 0}
          onClick={() => setAsking('suspend')}
        >
          Suspend…
        </Button>
        <DestroyApp
          configPath={configPath}
          instance={instance}
          appId={status?.id}
          disabled={props.busy || !props.canDestroy || !exists}
          start={props.start}
        />
      </Box>
      {asking && (
        <ConfirmDialog
          open
          title={texts[asking].title}
          confirmLabel={texts[asking].label}
          danger={asking !== 'scale'}
          onConfirm={confirm}
          onClose={() => setAsking(undefined)}
        >
          <Typography variant="body2">{texts[asking].body}</Typography>
        </ConfirmDialog>
      )}
    </InfoCard>
  );
};
