import { useState } from 'react';
import { Box, Grid, Tab, Tabs, Typography } from '@material-ui/core';
import { InfoCard, LinkButton, WarningPanel } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { configRouteRef } from '../../routes';
import { levelsOf, normalizePath } from '../../lib/configPaths';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { ConfigHistory } from '../ConfigPage/ConfigHistory';
import { ConfigSetEditor } from '../ConfigPage/ConfigSetEditor';
import { EffectiveConfigView } from '../ConfigPage/EffectiveConfigView';

/** The annotation naming a component's Pheidippides configuration path. */
export const CONFIG_PATH_ANNOTATION = 'archon.io/config-path';

/**
 * The "Config" tab of a component with `archon.io/config-path`: its
 * effective configuration with provenance, and every level of its path to
 * edit (set and history).
 */
export const EntityConfigContent = () => {
  const { entity } = useEntity();
  const annotation = entity.metadata.annotations?.[CONFIG_PATH_ANNOTATION];
  const configPage = useRouteRef(configRouteRef);
  const path = annotation ? normalizePath(annotation) : undefined;
  const levels = path ? levelsOf(path) : [];
  const [level, setLevel] = useState(levels[levels.length - 1]);
  const [refresh, setRefresh] = useState(0);
  // A restore writes the set behind the editor's back: the editor is keyed
  // by the restore count so it remounts with the restored set.
  const [restores, setRestores] = useState(0);

  if (!path || levels.length === 0) {
    return (
      <WarningPanel
        title="No configuration path"
        message={`This entity has no ${CONFIG_PATH_ANNOTATION} annotation.`}
      />
    );
  }
  const pageLink = (p: string) =>
    configPage ? `${configPage()}?path=${encodeURIComponent(p)}` : undefined;
  const selected = levels.includes(level) ? level : levels[levels.length - 1];

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SystemsDownBanner
          kinds={['zookeeper']}
          consequence="The configuration cannot be read or written until it is back."
        />
      </Grid>
      <Grid item xs={12}>
        <EffectiveConfigView
          path={path}
          refreshKey={refresh}
          onSelectLevel={p => setLevel(p)}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Edit a level"
          subheader="The effective configuration merges these levels, the deepest winning."
          action={
            pageLink(selected) ? (
              <Box pt={2} pr={2}>
                <LinkButton to={pageLink(selected)!} variant="outlined">
                  Open in Configuration
                </LinkButton>
              </Box>
            ) : undefined
          }
          noPadding
        >
          <Tabs
            value={selected}
            onChange={(_, v) => setLevel(v)}
            indicatorColor="primary"
            variant="scrollable"
            aria-label="Levels of the configuration path"
          >
            {levels.map(l => (
              <Tab
                key={l}
                value={l}
                label={
                  <span
                    style={{ textTransform: 'none', fontFamily: 'monospace' }}
                  >
                    {l}
                  </span>
                }
              />
            ))}
          </Tabs>
          <Box p={2}>
            <ConfigSetEditor
              key={`${selected}:${restores}`}
              path={selected}
              onSaved={() => setRefresh(r => r + 1)}
            />
            <Box mt={3}>
              <Typography variant="h6" component="h3" gutterBottom>
                History of {selected}
              </Typography>
              <ConfigHistory
                path={selected}
                refreshKey={refresh}
                onRestored={() => {
                  setRestores(r => r + 1);
                  setRefresh(r => r + 1);
                }}
              />
            </Box>
          </Box>
        </InfoCard>
      </Grid>
    </Grid>
  );
};
