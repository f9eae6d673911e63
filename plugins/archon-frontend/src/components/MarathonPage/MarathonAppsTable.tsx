import { useState } from 'react';
import { TextField, Typography } from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  followCursors,
  type MarathonAppSummary,
} from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { AppState } from '../common/AppStatusLine';
import { MaybeEntityLink } from '../common/EntityLink';
import { Paging } from '../common/Paging';
import { SimpleTable } from '../common/SimpleTable';
import { useCatalogRefs } from '../common/useCatalogRefs';
import { FlowProgress } from '../EntityDeployContent/FlowProgress';
import { useDeployFlow } from '../EntityDeployContent/useDeployFlow';
import { DestroyRowAction } from './DestroyRowAction';

type Row = MarathonAppSummary & { group: string };

/** `/a/b/c` → `/a/b`; top-level apps are in `/`. */
export function groupOf(appId: string): string {
  const i = appId.lastIndexOf('/');
  return i <= 0 ? '/' : appId.slice(0, i);
}

const appKey = (a: Record<string, string>) =>
  a['archon.io/marathon-instance'] && a['archon.io/marathon-app-id']
    ? `${a['archon.io/marathon-instance']}:${a['archon.io/marathon-app-id']}`
    : undefined;

/** The apps of one Marathon instance, by group, with their status and release; paged. */
export const MarathonAppsTable = ({ instance }: { instance: string }) => {
  const api = useApi(archonApiRef);
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState({ offset: 0, limit: 25 });
  // A finished destroy re-reads the list, so the app leaves it as it leaves Marathon.
  const [refresh, setRefresh] = useState(0);
  const runner = useDeployFlow(() => setRefresh(r => r + 1));
  const refs = useCatalogRefs({
    kind: 'Component',
    type: 'service',
    keyOf: appKey,
  });
  const apps = useAsync(async () => {
    // Grouped and filtered here, across all apps: read every page.
    const list = await followCursors(cursor =>
      unwrap(
        api.marathonListApps({
          path: { instance },
          query: { limit: 1000, ...(cursor ? { cursor } : {}) },
        }),
      ),
    );
    return list.items
      .map(a => ({ ...a, group: groupOf(a.id) }))
      .sort(
        (a, b) => a.group.localeCompare(b.group) || a.id.localeCompare(b.id),
      );
  }, [api, instance, refresh]);

  const progress = runner.run && (
    <FlowProgress run={runner.run} onDismiss={runner.clear} />
  );
  if (apps.loading && !apps.value) return <Progress />;
  if (apps.error)
    return (
      <ResponseErrorPanel
        error={apps.error}
        title={`Marathon "${instance}": apps unavailable`}
      />
    );
  if (apps.value?.length === 0)
    return (
      <>
        {progress}
        <Typography variant="body2">No apps run on {instance}.</Typography>
      </>
    );
  const matching = (apps.value ?? []).filter(a =>
    a.id.toLowerCase().includes(filter.trim().toLowerCase()),
  );
  const shown = matching.slice(page.offset, page.offset + page.limit);
  return (
    <>
      {progress}
      <TextField
        id={`marathon-filter-${instance}`}
        label="Filter apps"
        size="small"
        variant="outlined"
        value={filter}
        onChange={e => {
          setFilter(e.target.value);
          setPage(p => ({ ...p, offset: 0 }));
        }}
        style={{ marginBottom: 8 }}
      />
      <Typography variant="h6" component="h3">
        Apps ({matching.length})
      </Typography>
      <SimpleTable<Row>
        label={`Apps on ${instance}`}
        rows={shown}
        rowKey={a => a.id}
        columns={[
          { title: 'Group', render: a => <code>{a.group}</code> },
          {
            title: 'App',
            render: a => (
              <MaybeEntityLink
                entityRef={refs.get(`${instance}:${a.id}`)}
                text={a.id}
              />
            ),
          },
          { title: 'Status', render: a => <AppState state={a.status} /> },
          {
            title: 'Tasks',
            render: a =>
              `${a.healthy} healthy / ${a.running} running / ${a.instances} wanted`,
          },
          {
            title: 'Release',
            render: a => (a.releaseId ? <code>{a.releaseId}</code> : '—'),
          },
          { title: 'Config path', render: a => a.configPath ?? '—' },
          {
            title: 'Deployments',
            render: a =>
              a.deployments.length
                ? `${a.deployments.length} in progress`
                : '—',
          },
          {
            title: 'Actions',
            render: a => (
              <DestroyRowAction
                app={a}
                instance={instance}
                busy={runner.busy}
                start={runner.start}
              />
            ),
          },
        ]}
      />
      {matching.length > 10 && (
        <Paging
          total={matching.length}
          offset={page.offset}
          limit={page.limit}
          onChange={(offset, limit) => setPage({ offset, limit })}
        />
      )}
    </>
  );
};
