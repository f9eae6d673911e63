import { useState } from 'react';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  GatewayResolution,
  GatewayRoute,
} from '@archon/plugin-archon-common';
import { followCursors } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { MaybeEntityLink } from '../common/EntityLink';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { useCatalogRefs } from '../common/useCatalogRefs';
import { ArchonTable } from '../common/ArchonTable';

type Row = GatewayRoute & { conflict?: string };

/** The identity of a route in the table (a route may appear in a conflict). */
export function routeKey(r: GatewayRoute): string {
  return `${r.source}|${r.instance}|${r.appId}|${r.portIndex ?? ''}|${
    r.vhost ?? ''
  }|${r.path ?? ''}|${r.port ?? ''}`;
}

const appKey = (a: Record<string, string>) =>
  a['archon.io/marathon-instance'] && a['archon.io/marathon-app-id']
    ? `${a['archon.io/marathon-instance']}:${a['archon.io/marathon-app-id']}`
    : undefined;

/** Which app a URL reaches. */
const Resolver = () => {
  const api = useApi(archonApiRef);
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<GatewayResolution>();
  const [error, setError] = useState<Error>();
  const resolve = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setAnswer(
        await unwrap(api.gatewayResolveUrl({ query: { url: url.trim() } })),
      );
    } catch (e) {
      setAnswer(undefined);
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <InfoCard title="Which app serves a URL?">
      <Box display="flex" style={{ gap: 8 }}>
        <TextField
          id="gateway-url"
          label="URL"
          placeholder="http://www.example.com/api/orders"
          size="small"
          variant="outlined"
          fullWidth
          value={url}
          onChange={e => setUrl(e.target.value)}
          onKeyDown={e => e.key === 'Enter' && url.trim() && resolve()}
        />
        <Button
          variant="outlined"
          disabled={busy || !url.trim()}
          onClick={resolve}
        >
          Resolve
        </Button>
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      {answer && (
        <Box mt={1} role="status">
          <Typography variant="body2">
            {answer.match
              ? `${answer.match.appId} on ${answer.match.instance} serves it. `
              : 'No app serves it. '}
            {answer.explanation}
          </Typography>
        </Box>
      )}
    </InfoCard>
  );
};

/** Public routes (vhost, path, port) to Marathon apps, conflicts first and highlighted. */
export const GatewayPage = () => {
  const api = useApi(archonApiRef);
  const refs = useCatalogRefs({
    kind: 'Component',
    type: 'service',
    keyOf: appKey,
  });
  const routes = useAsync(
    // Conflicts first across all routes: read every page.
    async () =>
      followCursors(cursor =>
        unwrap(
          api.gatewayListRoutes({
            query: { limit: 1000, ...(cursor ? { cursor } : {}) },
          }),
        ),
      ),
    [api],
  );
  const conflictOf = new Map<string, string>();
  for (const c of routes.value?.conflicts ?? []) {
    for (const r of c.routes ?? [])
      conflictOf.set(routeKey(r), c.key ?? `${c.vhost ?? '*'}${c.path ?? ''}`);
  }
  const rows: Row[] = (routes.value?.items ?? [])
    .map(r => ({ ...r, conflict: conflictOf.get(routeKey(r)) }))
    .sort(
      (a, b) =>
        Number(!!b.conflict) - Number(!!a.conflict) ||
        (a.vhost ?? '').localeCompare(b.vhost ?? '') ||
        (a.path ?? '').localeCompare(b.path ?? ''),
    );
  const columns: TableColumn<Row>[] = [
    { title: 'Host', field: 'vhost', render: r => r.vhost ?? '(any)' },
    { title: 'Path', field: 'path', render: r => r.path ?? '/' },
    {
      title: 'Port',
      field: 'port',
      render: r => r.port ?? r.servicePort ?? '—',
    },
    { title: 'Mode', field: 'mode' },
    {
      title: 'App',
      field: 'appId',
      render: r => (
        <MaybeEntityLink
          entityRef={refs.get(`${r.instance}:${r.appId}`)}
          text={r.appId}
        />
      ),
    },
    { title: 'Marathon', field: 'instance' },
    {
      title: 'From',
      render: r => `${r.source}${r.entry ? ` (${r.entry})` : ''}`,
    },
    {
      title: 'Conflict',
      render: r => (r.conflict ? <strong>conflict: {r.conflict}</strong> : '—'),
    },
  ];
  return (
    <Page themeId="tool">
      <Header
        title="Gateway"
        subtitle="Public routes from app labels (marathon-lb, Traefik) and the apps behind them"
      />
      <Content>
        <SystemsDownBanner
          kinds={['marathon']}
          consequence="Routes of its apps are missing until it is back."
        />
        {/* The question people come with goes first, above a table that may be long. */}
        <Box mb={2}>
          <Resolver />
        </Box>
        {routes.loading && <Progress />}
        {routes.error && <ResponseErrorPanel error={routes.error} />}
        {(routes.value?.errors ?? []).map(e => (
          <Alert key={e.instance} severity="warning">
            Marathon "{e.instance}" could not be read: {e.message}. Its routes
            are missing below.
          </Alert>
        ))}
        {(routes.value?.conflicts.length ?? 0) > 0 && (
          <Alert severity="error" aria-label="Route conflicts">
            {routes.value!.conflicts.length} conflict
            {routes.value!.conflicts.length === 1 ? '' : 's'}: two or more apps
            claim{' '}
            {routes
              .value!.conflicts.map(
                c =>
                  `${c.vhost ?? '(any host)'}${c.path ?? ''}${
                    c.port ? ` on port ${c.port}` : ''
                  } (${(c.routes ?? []).map(r => r.appId).join(', ')})`,
              )
              .join('; ')}
            .
          </Alert>
        )}
        {routes.value && (
          <Box mt={2}>
            <ArchonTable<Row>
              title={`Routes (${rows.length})`}
              options={{
                paging: true,
                pageSize: 20,
                pageSizeOptions: [20, 50, 100],
                // A short last page ends with its last route, not blank rows.
                emptyRowsWhenPaging: false,
                padding: 'dense',
                rowStyle: (r: Row) =>
                  r.conflict
                    ? { backgroundColor: 'rgba(244, 67, 54, 0.12)' }
                    : {},
              }}
              columns={columns}
              data={rows}
              emptyContent={
                <Box p={2}>
                  <Typography variant="body2">
                    No app has public route labels (HAPROXY_* or traefik.*).
                  </Typography>
                </Box>
              }
            />
          </Box>
        )}
      </Content>
    </Page>
  );
};
