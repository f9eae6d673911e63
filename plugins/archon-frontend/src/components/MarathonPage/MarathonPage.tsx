import { useState } from 'react';
import { Box, Button, Grid } from '@material-ui/core';
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
import {
  ALL_CLUSTERS,
  ClusterPicker,
  useClusterParam,
} from '../common/ClusterPicker';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { FlowProgress } from '../EntityDeployContent/FlowProgress';
import { useDeployFlow } from '../EntityDeployContent/useDeployFlow';
import { DeployPathDialog } from './DeployPathDialog';
import { MarathonInstanceView } from './MarathonInstanceView';

/**
 * Marathon: each instance's apps by folder with their actions, deploy of a
 * configuration path, deployments in flight and the launch queue.
 * `?cluster=` picks the instance (the first configured by default), or
 * `all` for every instance, one below the other: each instance's folder
 * tree and paging are its own, so their apps are not merged into one list.
 */
export const MarathonPage = () => {
  const api = useApi(archonApiRef);
  const [refresh, setRefresh] = useState(0);
  // Row actions run one at a time; a finished one re-reads the page, so a
  // scaled or destroyed app shows what Marathon now runs.
  const runner = useDeployFlow(() => setRefresh(r => r + 1));
  const instances = useAsync(
    async () => (await unwrap(api.marathonListInstances({}))).items,
    [api],
  );
  const names = instances.value?.map(i => i.name) ?? [];
  const picked = useClusterParam(names, { all: 'offered' });
  const reread = () => setRefresh(r => r + 1);

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
        {picked.cluster && (
          <>
            <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
              <ClusterPicker
                label="Marathon instance"
                names={names}
                value={picked.cluster ?? ALL_CLUSTERS}
                onChange={v => picked.select(v)}
                allLabel="All instances"
                mb={0}
              />
              <Box flexGrow={1} />
              <DeployPathDialog
                onFinished={reread}
                initialTarget={
                  picked.cluster === ALL_CLUSTERS ? undefined : picked.cluster
                }
              />
              <Button size="small" variant="outlined" onClick={reread}>
                Refresh
              </Button>
            </Box>
            {runner.run && (
              <Box mb={3}>
                <FlowProgress run={runner.run} onDismiss={runner.clear} />
              </Box>
            )}
            <Grid container spacing={3}>
              {picked.shown.map(instance => (
                <Grid item xs={12} key={instance}>
                  <MarathonInstanceView
                    instance={instance}
                    refreshKey={refresh}
                    flowBusy={runner.busy}
                    start={runner.start}
                    onChanged={reread}
                  />
                </Grid>
              ))}
            </Grid>
          </>
        )}
      </Content>
    </Page>
  );
};
