import { useState } from 'react';
import { Box, Button, Grid, Tab, Tabs } from '@material-ui/core';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { MarathonDeployments, MarathonQueue } from './MarathonActivity';
import { FlowProgress } from '../EntityDeployContent/FlowProgress';
import { useDeployFlow } from '../EntityDeployContent/useDeployFlow';
import { DeployPathDialog } from './DeployPathDialog';
import { MarathonAppsTable } from './MarathonAppsTable';
import { MarathonActionProgress, useMarathonAction } from './useMarathonAction';

/**
 * Marathon: each instance's apps by folder with their actions, deploy of a
 * configuration path, deployments in flight and the launch queue.
 */
export const MarathonPage = () => {
  const api = useApi(archonApiRef);
  const [selected, setSelected] = useState<string>();
  const [refresh, setRefresh] = useState(0);
  // Row actions run one at a time; a finished one re-reads the page, so a
  // scaled or destroyed app shows what Marathon now runs.
  const runner = useDeployFlow(() => setRefresh(r => r + 1));
  const instances = useAsync(
    async () => (await unwrap(api.marathonListInstances({}))).items,
    [api],
  );
  const instance = selected ?? instances.value?.[0]?.name;
  // Actions on apps archon did not deploy: Marathon's deployment, followed.
  const marathonRunner = useMarathonAction(instance ?? '', () =>
    setRefresh(r => r + 1),
  );
  const busy = runner.busy || marathonRunner.busy;

  return (
    <Page themeId="tool">
      <Header
        title="Marathon"
        subtitle="Apps, deployments in flight and the launch queue"
      />
      <Content>
        <SystemsDownBanner
          kinds={['marathon']}
          consequence="Its apps, deployments and queue cannot be read until it is back."
        />
        {instances.loading && <Progress />}
        {instances.error && <ResponseErrorPanel error={instances.error} />}
        {instances.value?.length === 0 && (
          <InfoCard title="No Marathon">
            archon has no Marathon instance configured.
          </InfoCard>
        )}
        {instance && (
          <>
            {(instances.value?.length ?? 0) > 1 && (
              <Tabs
                value={instance}
                onChange={(_, v) => setSelected(v)}
                aria-label="Marathon instances"
                indicatorColor="primary"
              >
                {instances.value!.map(i => (
                  <Tab key={i.name} value={i.name} label={i.name} />
                ))}
              </Tabs>
            )}
            <Box
              display="flex"
              justifyContent="flex-end"
              mb={1}
              style={{ gap: 8 }}
            >
              <DeployPathDialog onFinished={() => setRefresh(r => r + 1)} />
              <Button
                size="small"
                variant="outlined"
                onClick={() => setRefresh(r => r + 1)}
              >
                Refresh
              </Button>
            </Box>
            <Grid container spacing={3}>
              {runner.run && (
                <Grid item xs={12}>
                  <FlowProgress run={runner.run} onDismiss={runner.clear} />
                </Grid>
              )}
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
                    key={instance}
                    instance={instance}
                    refreshKey={refresh}
                    busy={busy}
                    start={runner.start}
                    startMarathon={marathonRunner.start}
                  />
                </InfoCard>
              </Grid>
              <Grid item xs={12} md={6}>
                <InfoCard title="Deployments in flight">
                  <MarathonDeployments
                    instance={instance}
                    refreshKey={refresh}
                  />
                </InfoCard>
              </Grid>
              <Grid item xs={12} md={6}>
                <InfoCard title="Launch queue">
                  <MarathonQueue instance={instance} refreshKey={refresh} />
                </InfoCard>
              </Grid>
            </Grid>
          </>
        )}
      </Content>
    </Page>
  );
};
