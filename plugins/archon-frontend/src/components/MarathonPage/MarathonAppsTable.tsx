import { useEffect, useMemo, useState } from 'react';
import {
  Box,
  IconButton,
  Link,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
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
import {
  foldersDownTo,
  groupOf,
  toggleFolder,
  treeRows,
  type TreeRow,
} from './appTree';

type Start = (
  title: string,
  request: () => Promise<TypedResponse<unknown>>,
) => void;

/** Indentation per folder level. */
const INDENT_PX = 20;

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
 * The apps of one Marathon instance as Marathon's UI lists them: a tree of
 * folders (Marathon groups: `/team/shop/cart` is in `team` → `shop`), each
 * with its app count and the worst state word of its apps, collapsible, the
 * open folder kept in the URL (`?group=/team/shop`); apps with resources,
 * instances, archon's state word, version and their actions. Every page of
 * the API's list is read, so the counts are of all apps. `refreshKey`
 * re-reads the list (the page's Refresh, a finished action).
 */
export const MarathonAppsTable = (props: {
  instance: string;
  refreshKey: number;
  busy: boolean;
  /** Actions on apps archon deployed (by configuration path, followed as a flow). */
  start: Start;
  /** Actions on other apps (by Marathon app id). */
  startMarathon: Start;
}) => {
  const { instance } = props;
  const api = useApi(archonApiRef);
  const [filter, setFilter] = useState('');
  // `?state=crash-looping,degraded` (where the Home page's count links):
  // only apps in those state words.
  const [params, setParams] = useAppSearchParams();
  const states = (params.get('state') ?? '').split(',').filter(Boolean);
  const group = params.get('group') ?? '';
  const [open, setOpen] = useState<Set<string>>(
    () => new Set(foldersDownTo(group)),
  );
  // A link to another folder (or Back) opens it as well.
  useEffect(() => {
    if (group) setOpen(o => new Set([...o, ...foldersDownTo(group)]));
  }, [group]);
  const toggle = (folder: string) => {
    const next = toggleFolder(open, folder);
    setOpen(next);
    const kept = new URLSearchParams(params);
    // The URL names the folder just opened, or the open one above a closed one.
    const shown = next.has(folder) ? folder : groupOf(folder);
    if (shown !== '/' && next.has(shown)) kept.set('group', shown);
    else kept.delete('group');
    setParams(kept);
  };
  const [acting, setActing] = useState<{
    anchor: HTMLElement;
    app: MarathonAppSummary;
  }>();
  const refs = useCatalogRefs({
    kind: 'Component',
    type: 'service',
    keyOf: appKey,
  });
  const apps = useAsync(async () => {
    // Folders count and judge every app below them: read every page.
    const list = await followCursors(cursor =>
      unwrap(
        api.marathonListApps({
          path: { instance },
          query: { limit: 1000, ...(cursor ? { cursor } : {}) },
        }),
      ),
    );
    return list.items;
  }, [api, instance, props.refreshKey]);
  const needle = filter.trim().toLowerCase();
  const filtering = needle !== '' || states.length > 0;
  const matching = useMemo(
    () =>
      (apps.value ?? []).filter(
        a =>
          a.id.toLowerCase().includes(needle) &&
          (states.length === 0 || states.includes(a.status)),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [apps.value, needle, states.join(',')],
  );
  const rows = useMemo(
    () => treeRows(matching, open, filtering),
    [matching, open, filtering],
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
    return <Typography variant="body2">No apps run on {instance}.</Typography>;
  const total = apps.value?.length ?? 0;

  // The tree's order is the table's: no column sorts it.
  const columns: TableColumn<TreeRow>[] = [
    {
      title: 'App',
      field: 'id',
      sorting: false,
      render: r => (
        <Box
          display="flex"
          alignItems="center"
          style={{ paddingLeft: r.depth * INDENT_PX }}
        >
          {r.kind === 'folder' ? (
            <>
              <IconButton
                size="small"
                aria-label={`${r.open ? 'Close' : 'Open'} folder ${r.id}`}
                aria-expanded={r.open}
                onClick={() => toggle(r.id)}
                disabled={filtering}
              >
                {r.open ? (
                  <ExpandMoreIcon fontSize="small" />
                ) : (
                  <ChevronRightIcon fontSize="small" />
                )}
              </IconButton>
              <Typography
                variant="body2"
                component="span"
                noWrap
                style={{ fontWeight: 500 }}
                data-folder={r.id}
              >
                {r.name}/
              </Typography>
              <Typography
                variant="caption"
                color="textSecondary"
                noWrap
                style={{ marginLeft: 8 }}
              >
                {r.apps} app{r.apps === 1 ? '' : 's'}
              </Typography>
            </>
          ) : (
            <Box ml={r.depth ? 0.5 : 0} minWidth={0}>
              <Identifier text={r.id} maxWidth="34ch">
                <MaybeEntityLink
                  entityRef={refs.get(`${instance}:${r.id}`)}
                  text={r.id}
                />
              </Identifier>
            </Box>
          )}
        </Box>
      ),
    },
    {
      title: 'State',
      width: '130px',
      sorting: false,
      render: r => (
        <Box component="span" style={{ whiteSpace: 'nowrap' }}>
          <AppState state={r.kind === 'folder' ? r.state : r.app.status} />
        </Box>
      ),
    },
    {
      title: 'Instances',
      width: '110px',
      sorting: false,
      render: r => {
        const n = r.kind === 'folder' ? r : r.app;
        const unhealthy = r.kind === 'app' ? r.app.unhealthy : 0;
        return (
          <Tooltip
            title={`${n.running} running, ${n.staged} staged, ${
              n.instances
            } wanted${unhealthy ? `, ${unhealthy} unhealthy` : ''}${
              r.kind === 'folder' ? ` (all ${r.apps} apps)` : ''
            }`}
          >
            <span style={{ whiteSpace: 'nowrap' }} data-testid="instances">
              {n.running} / {n.staged} / {n.instances}
            </span>
          </Tooltip>
        );
      },
    },
    {
      title: 'CPU',
      width: '70px',
      type: 'numeric',
      sorting: false,
      // Never broken inside a figure ("0.0" over "1" was seen at 1440x900).
      render: r =>
        r.kind === 'app' ? (
          <span style={{ whiteSpace: 'nowrap' }}>{cpus(r.app.cpus)}</span>
        ) : (
          ''
        ),
    },
    {
      title: 'Memory',
      width: '100px',
      type: 'numeric',
      sorting: false,
      render: r =>
        r.kind === 'app' ? (
          <span style={{ whiteSpace: 'nowrap' }}>{mem(r.app.mem)}</span>
        ) : (
          ''
        ),
    },
    {
      title: 'Version',
      width: '190px',
      sorting: false,
      // Marathon's version is an ISO time: shown to the second, whole in the tooltip.
      render: r => {
        if (r.kind === 'folder') return '';
        const version = r.app.version;
        return version ? (
          <Identifier text={version} copy={false} maxWidth="20ch">
            {version.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}
          </Identifier>
        ) : (
          '—'
        );
      },
    },
    {
      title: 'Actions',
      width: '90px',
      sorting: false,
      render: r =>
        r.kind === 'app' ? (
          <AppActionsButton
            app={r.app}
            onOpen={(anchor, app) => setActing({ anchor, app })}
          />
        ) : null,
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
      <ArchonTable<TreeRow>
        title={
          filtering
            ? `Apps (${matching.length} of ${total})`
            : `Apps (${total})`
        }
        columns={columns}
        data={rows}
        options={{
          // Folders hold the rows: every app of an open folder is shown.
          paging: false,
          search: false,
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
          startMarathon={props.startMarathon}
          onClose={() => setActing(undefined)}
        />
      )}
      <Typography variant="caption" color="textSecondary">
        Instances: running / staged / wanted (a folder: of all its apps).
        {filtering &&
          ' While a filter is on, every folder with a match is open.'}
      </Typography>
    </>
  );
};
