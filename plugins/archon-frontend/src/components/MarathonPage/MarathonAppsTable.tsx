import { useState } from 'react';
import { Box, Link, TextField, Tooltip, Typography } from '@material-ui/core';
import {
  Progress,
  ResponseErrorPanel,
  type TableColumn,
} from '@backstage/core-components';
import { useApi, useAppSearchParams } from '@backstage/frontend-plugin-api';
import {
  followCursors,
  type MarathonAppSummary,
  type TypedResponse,
} from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { AppState } from '../common/AppStatusLine';
import { ArchonTable, Identifier } from '../common/ArchonTable';
import { MaybeEntityLink } from '../common/EntityLink';
import { useCatalogRefs } from '../common/useCatalogRefs';
import { AppActions, AppActionsButton } from './AppRowActions';

type Row = MarathonAppSummary & { group: string };

/** `/a/b/c` → `/a/b`; top-level apps are in `/`. */
export function groupOf(appId: string): string {
  const i = appId.lastIndexOf('/');
  return i <= 0 ? '/' : appId.slice(0, i);
}

/** "0.25", "1.5": cpu shares without trailing zeros. */
const cpus = (n?: number) =>
  n === undefined ? '—' : String(Number(n.toFixed(3)));
/** Memory in MiB, or GiB from 1024 MiB. */
const mem = (n?: number) => {
  if (n === undefined) return '—';
  return n >= 1024 ? `${Number((n / 1024).toFixed(2))} GiB` : `${n} MiB`;
};

const appKey = (a: Record<string, string>) =>
  a['archon.io/marathon-instance'] && a['archon.io/marathon-app-id']
    ? `${a['archon.io/marathon-instance']}:${a['archon.io/marathon-app-id']}`
    : undefined;

/**
 * The apps of one Marathon instance as Marathon's UI lists them: by folder
 * (the group part of the id; each folder collapsible), with resources,
 * instances, archon's state word and version, and each app's actions.
 * `refreshKey` re-reads the list (the page's Refresh, a finished deploy).
 */
export const MarathonAppsTable = (props: {
  instance: string;
  refreshKey: number;
  busy: boolean;
  start: (
    title: string,
    request: () => Promise<TypedResponse<unknown>>,
  ) => void;
}) => {
  const { instance } = props;
  const api = useApi(archonApiRef);
  const [filter, setFilter] = useState('');
  // `?state=crash-looping,degraded` (where the Home page's count links):
  // only apps in those state words.
  const [params, setParams] = useAppSearchParams();
  const states = (params.get('state') ?? '').split(',').filter(Boolean);
  const [acting, setActing] = useState<{
    anchor: HTMLElement;
    app: MarathonAppSummary & { configPath: string };
  }>();
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
  }, [api, instance, props.refreshKey]);

  if (apps.loading && !apps.value) return <Progress />;
  if (apps.error)
    return (
      <ResponseErrorPanel
        error={apps.error}
        title={`Marathon "${instance}": apps unavailable`}
      />
    );
  if (apps.value?.length === 0)
    return <Typography variant="body2">No apps run on {instance}.</Typography>;
  const needle = filter.trim().toLowerCase();
  const rows = (apps.value ?? []).filter(
    a =>
      a.id.toLowerCase().includes(needle) &&
      (states.length === 0 || states.includes(a.status)),
  );

  const columns: TableColumn<Row>[] = [
    {
      title: 'Folder',
      field: 'group',
      defaultGroupOrder: 0,
      render: (r, type) => (
        <Identifier
          text={type === 'group' ? (r as unknown as string) : r.group}
          copy={false}
          maxWidth="60ch"
        />
      ),
    },
    {
      title: 'App',
      field: 'id',
      render: r => (
        <Identifier text={r.id} maxWidth="34ch">
          <MaybeEntityLink
            entityRef={refs.get(`${instance}:${r.id}`)}
            text={r.id}
          />
        </Identifier>
      ),
    },
    {
      title: 'State',
      field: 'status',
      width: '130px',
      render: r => (
        <Box component="span" style={{ whiteSpace: 'nowrap' }}>
          <AppState state={r.status} />
        </Box>
      ),
    },
    {
      title: 'Instances',
      field: 'instances',
      width: '110px',
      render: r => (
        <Tooltip
          title={`${r.running} running, ${r.staged} staged, ${
            r.instances
          } wanted${r.unhealthy ? `, ${r.unhealthy} unhealthy` : ''}`}
        >
          <span style={{ whiteSpace: 'nowrap' }} data-testid="instances">
            {r.running} / {r.staged} / {r.instances}
          </span>
        </Tooltip>
      ),
    },
    {
      title: 'CPU',
      field: 'cpus',
      width: '70px',
      type: 'numeric',
      render: r => cpus(r.cpus),
    },
    {
      title: 'Memory',
      field: 'mem',
      width: '100px',
      type: 'numeric',
      render: r => <span style={{ whiteSpace: 'nowrap' }}>{mem(r.mem)}</span>,
    },
    {
      title: 'Version',
      field: 'version',
      width: '190px',
      // Marathon's version is an ISO time: shown to the second, whole in the tooltip.
      render: r =>
        r.version ? (
          <Identifier text={r.version} copy={false} maxWidth="20ch">
            {r.version.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}
          </Identifier>
        ) : (
          '—'
        ),
    },
    {
      title: 'Actions',
      width: '90px',
      sorting: false,
      render: r => (
        <AppActionsButton
          app={r}
          onOpen={(anchor, app) =>
            setActing({ anchor, app: { ...app, configPath: app.configPath! } })
          }
        />
      ),
    },
  ];

  return (
    <>
      <TextField
        id={`marathon-filter-${instance}`}
        label="Filter apps"
        size="small"
        variant="outlined"
        value={filter}
        onChange={e => setFilter(e.target.value)}
        style={{ marginBottom: 8 }}
      />
      {states.length > 0 && (
        <Typography variant="body2" component="span" style={{ marginLeft: 16 }}>
          Only apps {states.join(' or ')} ·{' '}
          <Link
            component="button"
            variant="body2"
            onClick={() => {
              params.delete('state');
              setParams(params);
            }}
          >
            show all
          </Link>
        </Typography>
      )}
      <ArchonTable<Row>
        title={`Apps (${rows.length})`}
        columns={columns}
        data={rows}
        options={{
          // Folders hold the rows: every app of an open folder is shown.
          paging: false,
          search: false,
          defaultExpanded: true,
        }}
        emptyContent={<Box p={2}>No app matches "{filter}".</Box>}
      />
      {acting && (
        <AppActions
          key={acting.app.id}
          app={acting.app}
          anchor={acting.anchor}
          instance={instance}
          busy={props.busy}
          start={props.start}
          onClose={() => setActing(undefined)}
        />
      )}
      <Typography variant="caption" color="textSecondary">
        Instances: running / staged / wanted.
      </Typography>
    </>
  );
};
