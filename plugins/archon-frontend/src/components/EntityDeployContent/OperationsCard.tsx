import { useState } from 'react';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import type {
  DeployAppStatus,
  TypedResponse,
} from '@archon/plugin-archon-common';
import { AppOperationDialog, type AppOperation } from './AppOperationDialog';
import { DestroyApp } from './DestroyApp';

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
  /** Why operating is refused when the path is not the reason (the target's permission). */
  refusal?: string;
  start: (
    title: string,
    request: () => Promise<TypedResponse<unknown>>,
  ) => void;
}) => {
  const { configPath, instance, status } = props;
  const [instances, setInstances] = useState('');
  const [asking, setAsking] = useState<AppOperation>();
  const wanted = Number(instances);
  const validCount =
    instances !== '' && Number.isInteger(wanted) && wanted >= 0;
  const exists = status?.exists ?? false;
  const disabled = props.busy || !props.canOperate || !exists;

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
          {props.refusal ?? 'You may not scale, restart or suspend this app.'}
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
        <AppOperationDialog
          operation={asking}
          configPath={configPath}
          instance={instance}
          appId={status?.id}
          current={status?.instances}
          wanted={wanted}
          start={props.start}
          onClose={() => setAsking(undefined)}
        />
      )}
    </InfoCard>
  );
};
