import { useState } from 'react';
import { Box, Grid } from '@material-ui/core';
import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Page,
} from '@backstage/core-components';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { normalizePath } from '../../lib/configPaths';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { ConfigLevelView } from './ConfigLevelView';
import { ConfigTree } from './ConfigTree';
import { DeployLevel } from '../EntityDeployContent/DeployLevel';
import { FailingLevels } from './FailingLevels';
import { UndeployedChanges } from './UndeployedChanges';

/**
 * No level selected: the failing levels (`?failing=true`), the apps with
 * changes not yet deployed (`?undeployed=true`), or a prompt to pick one.
 */
const LevelPrompt = (props: {
  failing: boolean;
  undeployed: boolean;
  onSelect: (path: string) => void;
}) => {
  if (props.failing) return <FailingLevels onSelect={props.onSelect} />;
  if (props.undeployed) return <UndeployedChanges onSelect={props.onSelect} />;
  return (
    <EmptyState
      missing="content"
      title="Select a level"
      description="Choose a level in the tree to see and edit its set, its effective configuration with provenance, and its history."
    />
  );
};

/**
 * The Pheidippides configuration page: the level tree on the left, the
 * selected level (`?path=`) with its set, effective configuration and
 * history on the right; with `?failing=true` and no level selected, the
 * levels that do not resolve, with `?undeployed=true` the apps whose
 * configuration changed since their deployed release.
 */
export const ConfigPage = () => {
  const [params, setParams] = useAppSearchParams();
  const raw = params.get('path');
  const selected = raw ? normalizePath(raw) : undefined;
  const [treeRefresh, setTreeRefresh] = useState(0);
  const select = (path: string) => setParams({ path });

  return (
    <Page themeId="tool">
      <Header
        title="Configuration"
        subtitle="Pheidippides configuration levels in ZooKeeper"
      />
      <Content>
        <SystemsDownBanner
          kinds={['zookeeper']}
          consequence="Configuration cannot be read or written until it is back."
        />
        <Grid container spacing={3}>
          <Grid item xs={12} md={4} lg={3}>
            <InfoCard title="Levels">
              <ConfigTree
                selected={selected}
                onSelect={select}
                refreshKey={treeRefresh}
              />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={8} lg={9}>
            {selected ? (
              <>
                <Box display="flex" justifyContent="flex-end" mb={1}>
                  <DeployLevel path={selected} />
                </Box>
                <ConfigLevelView
                  key={selected}
                  path={selected}
                  onSelectLevel={select}
                  onSaved={() => setTreeRefresh(r => r + 1)}
                />
              </>
            ) : (
              <LevelPrompt
                failing={params.get('failing') === 'true'}
                undeployed={params.get('undeployed') === 'true'}
                onSelect={select}
              />
            )}
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};
