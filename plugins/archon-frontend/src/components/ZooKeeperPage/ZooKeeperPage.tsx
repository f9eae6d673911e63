import { useState } from 'react';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useAppSearchParams } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonZooKeeperEnsembleWritePermission,
  archonZooKeeperWritePermission,
  clusterResourceRef,
} from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { archonApiRef } from '../../api';
import { isApiError, unwrap } from '../../lib/errors';
import { normalizeZnodePath } from '../../lib/znodes';
import { ClusterPicker, useClusterParam } from '../common/ClusterPicker';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { ExportButton, ImportDialog } from './ExportImport';
import { CreateZnodeDialog, DeleteZnodeDialog } from './ZnodeCreateDelete';
import { ZnodeDetails } from './ZnodeDetails';
import { ZnodeEditor } from './ZnodeEditor';
import { ZnodeSearch } from './ZnodeSearch';
import { ZnodeTree } from './ZnodeTree';

/**
 * Raw ZooKeeper: the znode tree (lazy, paged), a znode's data in text, JSON
 * or hex with version-checked saves, its stat and ACL, search, and export /
 * import with a dry run. `?cluster=` (the ensemble; `?ensemble=` of older
 * links too) and `?path=` select.
 */
export const ZooKeeperPage = () => {
  const api = useApi(archonApiRef);
  const [params, setParams] = useAppSearchParams();
  const [refresh, setRefresh] = useState(0);
  const [importing, setImporting] = useState(false);
  const [dialog, setDialog] = useState<'create' | 'delete'>();
  const canWrite = usePermission({
    permission: archonZooKeeperWritePermission,
  });
  const ensembles = useAsync(async () => {
    const health = await unwrap(
      api.getHealth({ query: { kind: ['zookeeper'] } }),
    );
    return health.systems.filter(s => s.kind === 'zookeeper').map(s => s.name);
  }, [api]);
  const picked = useClusterParam(ensembles.value ?? [], {
    legacyParam: 'ensemble',
  });
  const ensemble = picked.cluster;
  // Writes need the ensemble's permission too (#20): a policy may keep
  // writes to `dr` for some.
  const onEnsemble = usePermission({
    permission: archonZooKeeperEnsembleWritePermission,
    resourceRef: clusterResourceRef('zookeeper', ensemble ?? ''),
  });
  const writable = canWrite.allowed && onEnsemble.allowed;
  const refusal =
    canWrite.allowed && !onEnsemble.loading && !onEnsemble.allowed
      ? `Writing to ${ensemble} needs archon.zookeeper.ensemble.write there.`
      : undefined;
  const path = normalizeZnodePath(params.get('path') ?? '/');
  const select = (next: { path: string }) =>
    setParams({ cluster: ensemble ?? '', path: next.path });

  const znode = useAsyncRetry(async () => {
    if (!ensemble) return undefined;
    return unwrap(
      api.zooKeeperGetZnode({ path: { ensemble, znodePath: path } }),
    );
  }, [api, ensemble, path, refresh]);

  return (
    <Page themeId="tool">
      <Header
        title="ZooKeeper"
        subtitle="Raw znodes: browse, edit, search, export and import"
      />
      <Content>
        <SystemsDownBanner
          kinds={['zookeeper']}
          consequence="Znodes cannot be read or written until it is back."
        />
        {ensembles.loading && <Progress />}
        {ensembles.error && <ResponseErrorPanel error={ensembles.error} />}
        {ensembles.value?.length === 0 && (
          <Typography>archon has no ZooKeeper ensemble configured.</Typography>
        )}
        {ensemble && (
          <Grid container spacing={3}>
            <Grid item xs={12} md={4}>
              <InfoCard title="Znodes">
                <ClusterPicker
                  label="ZooKeeper ensemble"
                  names={ensembles.value ?? []}
                  value={ensemble}
                  // A path of one ensemble need not exist on another: start at its root.
                  onChange={v => picked.select(v, ['path'])}
                />
                <ZnodeSearch
                  ensemble={ensemble}
                  prefix={path}
                  onOpen={p => select({ path: p })}
                />
                <Box mt={2}>
                  <ZnodeTree
                    ensemble={ensemble}
                    selected={path}
                    onSelect={p => select({ path: p })}
                    refreshKey={refresh}
                  />
                </Box>
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={8}>
              <InfoCard
                title={<code>{path}</code>}
                subheader={
                  znode.value?.configPath
                    ? `Pheidippides configuration level ${znode.value.configPath}: edit it on the Configuration page to keep its rules.`
                    : `Ensemble ${ensemble}`
                }
                action={
                  <Box display="flex" style={{ gap: 8 }} pt={2} pr={2}>
                    <ExportButton ensemble={ensemble} path={path} />
                    <Button
                      variant="outlined"
                      disabled={!writable || !znode.value}
                      title={refusal}
                      onClick={() => setDialog('create')}
                    >
                      New znode…
                    </Button>
                    <Button
                      variant="outlined"
                      disabled={!writable || !znode.value || path === '/'}
                      title={refusal}
                      onClick={() => setDialog('delete')}
                    >
                      Delete…
                    </Button>
                    <Button
                      variant="outlined"
                      onClick={() => setImporting(true)}
                    >
                      Import…
                    </Button>
                  </Box>
                }
              >
                {znode.loading && !znode.value && <Progress />}
                {znode.error &&
                  (isApiError(znode.error, 404) ? (
                    <Typography>{path} does not exist (any more).</Typography>
                  ) : (
                    <ResponseErrorPanel error={znode.error} />
                  ))}
                {znode.value && (
                  <>
                    <ZnodeEditor
                      key={znode.value.path}
                      ensemble={ensemble}
                      znode={znode.value}
                      canWrite={writable}
                      refusal={refusal}
                      onSaved={() => setRefresh(r => r + 1)}
                    />
                    <Box mt={3}>
                      <ZnodeDetails
                        ensemble={ensemble}
                        path={znode.value.path}
                        stat={znode.value.stat}
                      />
                    </Box>
                  </>
                )}
              </InfoCard>
            </Grid>
          </Grid>
        )}
        {ensemble && dialog === 'create' && (
          <CreateZnodeDialog
            ensemble={ensemble}
            parent={path}
            onClose={() => setDialog(undefined)}
            onCreated={created => {
              setDialog(undefined);
              setRefresh(r => r + 1);
              select({ path: created });
            }}
          />
        )}
        {ensemble && dialog === 'delete' && znode.value && (
          <DeleteZnodeDialog
            ensemble={ensemble}
            path={path}
            version={znode.value.stat.version}
            onClose={() => setDialog(undefined)}
            onDeleted={() => {
              setDialog(undefined);
              setRefresh(r => r + 1);
              select({ path: path.slice(0, path.lastIndexOf('/')) || '/' });
            }}
          />
        )}
        {ensemble && importing && (
          <ImportDialog
            open
            ensemble={ensemble}
            path={path}
            canWrite={writable}
            onClose={() => setImporting(false)}
            onApplied={() => setRefresh(r => r + 1)}
          />
        )}
      </Content>
    </Page>
  );
};
