import { useState } from 'react';
import { Box, Tab, Tabs, Typography } from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import type { ConfigWriteResponse } from '@archon/plugin-archon-common';
import { ConfigHistory } from './ConfigHistory';
import { ConfigSetEditor } from './ConfigSetEditor';
import { EffectiveConfigView } from './EffectiveConfigView';

export type LevelTab = 'set' | 'effective' | 'history';

/**
 * One level: its own set (editable), the effective configuration of the
 * level with provenance, and its history, as tabs.
 */
export const ConfigLevelView = (props: {
  path: string;
  onSaved?: (result: ConfigWriteResponse) => void;
  onSelectLevel?: (path: string) => void;
  initialTab?: LevelTab;
  /** Shown next to the path, e.g. a link to the configuration page. */
  action?: React.ReactNode;
}) => {
  const { path, onSelectLevel } = props;
  const [tab, setTab] = useState<LevelTab>(props.initialTab ?? 'set');
  const [refresh, setRefresh] = useState(0);

  return (
    <InfoCard
      title={
        <Typography
          variant="h5"
          component="h2"
          style={{ fontFamily: 'monospace' }}
        >
          {path}
        </Typography>
      }
      action={props.action}
      noPadding
    >
      <Tabs
        value={tab}
        onChange={(_, v) => setTab(v)}
        indicatorColor="primary"
        aria-label={`Views of ${path}`}
      >
        <Tab
          value="set"
          label="Set"
          id="level-tab-set"
          aria-controls="level-panel"
        />
        <Tab
          value="effective"
          label="Effective"
          id="level-tab-effective"
          aria-controls="level-panel"
        />
        <Tab
          value="history"
          label="History"
          id="level-tab-history"
          aria-controls="level-panel"
        />
      </Tabs>
      <Box
        p={2}
        role="tabpanel"
        id="level-panel"
        aria-labelledby={`level-tab-${tab}`}
      >
        {tab === 'set' && (
          <ConfigSetEditor
            key={path}
            path={path}
            onSaved={result => {
              setRefresh(r => r + 1);
              props.onSaved?.(result);
            }}
          />
        )}
        {tab === 'effective' && (
          <EffectiveConfigView
            path={path}
            refreshKey={refresh}
            onSelectLevel={onSelectLevel}
          />
        )}
        {tab === 'history' && (
          <ConfigHistory
            path={path}
            refreshKey={refresh}
            onRestored={result => {
              setRefresh(r => r + 1);
              props.onSaved?.(result);
            }}
          />
        )}
      </Box>
    </InfoCard>
  );
};
