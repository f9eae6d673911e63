import { Grid } from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import type { TypedResponse } from '@archon/plugin-archon-common';
import { MarathonDeployments, MarathonQueue } from './MarathonActivity';
import { MarathonAppsTable } from './MarathonAppsTable';
import { MarathonActionProgress, useMarathonAction } from './useMarathonAction';

/**
 * One Marathon instance on the Marathon page: its apps by folder with their
 * actions, its deployments in flight and its launch queue. The page shows
 * one of these per instance shown (one, or each for "All instances").
 */
export const MarathonInstanceView = (props: {
  instance: string;
  refreshKey: number;
  /** A deploy flow of the page is running: row actions wait for it. */
  flowBusy: boolean;
  /** Starts a deploy flow (actions on apps archon deployed). */
  start: (
    title: string,
    request: () => Promise<TypedResponse<unknown>>,
  ) => void;
  /** Something changed on this instance: the page re-reads. */
  onChanged: () => void;
}) => {
  const { instance, refreshKey } = props;
  // Actions on apps archon did not deploy: Marathon's deployment, followed.
  const marathonRunner = useMarathonAction(instance, props.onChanged);
  return (
    <Grid container spacing={3}>
      {marathonRunner.run && (
        <Grid item xs={12}>
          <MarathonActionProgress
            run={marathonRunner.run}
            onDismiss={marathonRunner.clear}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard title={`Apps on ${instance}`}>
          <MarathonAppsTable
            instance={instance}
            refreshKey={refreshKey}
            busy={props.flowBusy || marathonRunner.busy}
            start={props.start}
            startMarathon={marathonRunner.start}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={`Deployments in flight on ${instance}`}>
          <MarathonDeployments instance={instance} refreshKey={refreshKey} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={`Launch queue of ${instance}`}>
          <MarathonQueue instance={instance} refreshKey={refreshKey} />
        </InfoCard>
      </Grid>
    </Grid>
  );
};
