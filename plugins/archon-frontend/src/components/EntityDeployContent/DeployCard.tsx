import { useState } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { DeployPlan, TypedResponse } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { DeployPlanView } from './DeployPlanView';

/** Dry run (what would change) and deploy of a configuration path to a target. */
export const DeployCard = (props: {
  configPath: string;
  instance: string;
  busy: boolean;
  canDeploy: boolean;
  /** Why deploying is refused when the path is not the reason (the target's permission). */
  refusal?: string;
  start: (
    title: string,
    request: () => Promise<TypedResponse<unknown>>,
  ) => void;
}) => {
  const { configPath, instance } = props;
  const api = useApi(archonApiRef);
  const [plan, setPlan] = useState<DeployPlan>();
  const [planning, setPlanning] = useState(false);
  const [error, setError] = useState<Error>();
  const [confirming, setConfirming] = useState(false);

  const preview = async () => {
    setPlanning(true);
    setError(undefined);
    try {
      const answer = await unwrap(
        api.deploy({ body: { configPath, instance, dryRun: true } }),
      );
      setPlan(answer as DeployPlan);
      return answer as DeployPlan;
    } catch (e) {
      setError(e as Error);
      return undefined;
    } finally {
      setPlanning(false);
    }
  };

  const askToDeploy = async () => {
    setConfirming(true);
    await preview();
  };

  const deploy = () => {
    setConfirming(false);
    setPlan(undefined);
    props.start(`Deploy ${configPath} to ${instance}`, () =>
      api.deploy({ body: { configPath, instance } }),
    );
  };

  return (
    <InfoCard
      title="Deploy"
      subheader={`Renders the effective configuration of ${configPath} into an app definition and ships it to ${instance}.`}
    >
      <Box display="flex" style={{ gap: 8 }} mb={2}>
        <Button variant="outlined" onClick={preview} disabled={planning}>
          Preview changes
        </Button>
        <Button
          variant="contained"
          color="primary"
          onClick={askToDeploy}
          disabled={props.busy || !props.canDeploy}
          title={
            props.canDeploy
              ? undefined
              : props.refusal ?? 'You may not deploy this path'
          }
        >
          Deploy…
        </Button>
      </Box>
      {!props.canDeploy && (
        <Typography variant="body2" color="textSecondary">
          {props.refusal ?? `You may not deploy ${configPath}.`}
        </Typography>
      )}
      {planning && !confirming && <Progress />}
      {error && !confirming && <ResponseErrorPanel error={error} />}
      {plan && !confirming && <DeployPlanView plan={plan} />}
      <ConfirmDialog
        open={confirming}
        title={`Deploy ${configPath} to ${instance}?`}
        confirmLabel="Deploy now"
        disabled={planning || !!error || !plan}
        onConfirm={deploy}
        onClose={() => setConfirming(false)}
      >
        {planning && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {plan && <DeployPlanView plan={plan} />}
      </ConfirmDialog>
    </InfoCard>
  );
};
