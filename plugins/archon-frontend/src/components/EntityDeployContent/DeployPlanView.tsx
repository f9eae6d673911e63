import { Box, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { deployPlanScale, type DeployPlan } from '@archon/plugin-archon-common';
import { DefinitionChangesTable } from '../common/DefinitionChangesTable';
import { ConfigDiffTable } from '../ConfigPage/ImpactReport';

/** What a deploy (or rollback) would ship: definition changes and configuration changes since the running release. */
export const DeployPlanView = ({ plan }: { plan: DeployPlan }) => {
  const pendingCount = plan.pending
    ? plan.pending.added.length +
      plan.pending.removed.length +
      plan.pending.changed.length
    : 0;
  const scale = deployPlanScale(plan);
  return (
    <Box data-testid="deploy-plan">
      {!plan.exists && (
        <Alert severity="info">
          {plan.workloadId} does not run on {plan.instance} yet: the deploy
          creates it.
        </Alert>
      )}
      {plan.fromRelease && (
        <Typography variant="body2" gutterBottom>
          Ships the snapshot of release {plan.fromRelease} again.
        </Typography>
      )}
      <Typography variant="subtitle2" component="h3">
        App definition: {plan.changes.length} change
        {plan.changes.length === 1 ? '' : 's'} against what runs now
      </Typography>
      <DefinitionChangesTable
        changes={plan.changes}
        label="Definition changes"
        empty="The app definition is the same as what runs now."
      />
      {scale?.change && (
        <Alert severity="warning">
          The configuration sets the instances: {scale.change}
        </Alert>
      )}
      {scale && !scale.change && (
        <Typography variant="body2" color="textSecondary">
          instances: {scale.instances} kept (scaled by {scale.actor} at{' '}
          {scale.at}; the configuration sets none)
        </Typography>
      )}
      {plan.pending && (
        <Box mt={2}>
          <Typography variant="subtitle2" component="h3">
            Configuration: {pendingCount} change{pendingCount === 1 ? '' : 's'}{' '}
            since{' '}
            {plan.latestRelease
              ? `release ${plan.latestRelease}`
              : 'ever (never deployed)'}
          </Typography>
          <ConfigDiffTable
            diff={plan.pending}
            label="Configuration changes since the running release"
          />
        </Box>
      )}
      {plan.masked && (
        <Typography variant="caption" color="textSecondary">
          Secret values are masked.
        </Typography>
      )}
    </Box>
  );
};
