import {
  Link,
  Progress,
  ResponseErrorPanel,
  type TableColumn,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef as useLegacyRouteRef } from '@backstage/core-plugin-api';
import { useApi } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { UndeployedConfigChange } from '@archon/plugin-archon-common';
import { Box, Link as MuiLink, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { ArchonTable, Identifier, WhereLine } from '../common/ArchonTable';
import { useCatalogRefs } from '../common/useCatalogRefs';
import { ConfigDiffTable } from './ImpactReport';

const appKey = (a: Record<string, string>) =>
  a['archon.io/marathon-instance'] && a['archon.io/marathon-app-id']
    ? `${a['archon.io/marathon-instance']}:${a['archon.io/marathon-app-id']}`
    : undefined;

/** "added a, b · changed c · removed d": the keys, never the values. */
export function changedKeysText(diff: UndeployedConfigChange['diff']): string {
  const keys = (entries: Array<{ [key: string]: unknown }>) =>
    entries.map(e => String(e.key)).join(', ');
  return [
    diff.added.length ? `added ${keys(diff.added)}` : undefined,
    diff.changed.length ? `changed ${keys(diff.changed)}` : undefined,
    diff.removed.length ? `removed ${keys(diff.removed)}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * Every app whose configuration changed since its deployed release
 * (`?undeployed=true`, where the Home page's count links; GET
 * /config/undeployed): the path (opens its level) and the target it runs
 * on, the app (its Deploy tab once the catalog has it), the release that
 * runs, and the keys added, changed and removed; a row opens the values
 * (secrets masked). A path deployed to two targets is one row per target,
 * each against that target's release: "on <target>" tells them apart.
 */
export const UndeployedChanges = (props: {
  onSelect: (path: string) => void;
}) => {
  const api = useApi(archonApiRef);
  const entityRoute = useLegacyRouteRef(entityRouteRef);
  const list = useAsync(
    () => unwrap(api.listUndeployedConfigChanges({ query: {} })),
    [api],
  );
  const rows = list.value?.items ?? [];
  const refs = useCatalogRefs({
    kind: 'Component',
    type: 'service',
    whereIn: {
      'archon.io/marathon-app-id': rows.flatMap(r => (r.app ? [r.app] : [])),
    },
    keyOf: appKey,
  });
  if (list.loading) return <Progress />;
  if (list.error) return <ResponseErrorPanel error={list.error} />;
  const deployTab = (row: UndeployedConfigChange) => {
    const ref = refs.get(`${row.target}:${row.app}`);
    if (!ref) return undefined;
    const { kind, namespace, name } = parseEntityRef(ref);
    return `${entityRoute({ kind, namespace, name })}/deploy`;
  };
  const columns: TableColumn<UndeployedConfigChange>[] = [
    {
      title: 'Path',
      field: 'path',
      // Each row says its target on a line below, not in a column of its
      // own (a Target column made the list 116 px too wide at 1440x900).
      render: r => (
        <>
          <Identifier text={r.path} maxWidth="22ch">
            <MuiLink component="button" onClick={() => props.onSelect(r.path)}>
              {r.path}
            </MuiLink>
          </Identifier>
          {r.target && (
            <WhereLine where={r.target} testId="undeployed-target" />
          )}
        </>
      ),
    },
    {
      title: 'App',
      field: 'app',
      render: r => {
        if (!r.app) return '—';
        const to = deployTab(r);
        return (
          <Identifier text={r.app} maxWidth="18ch" copy={false}>
            {to ? (
              <Link to={to} title={`Deploy tab of ${r.app}`}>
                {r.app}
              </Link>
            ) : (
              r.app
            )}
          </Identifier>
        );
      },
    },
    {
      title: 'Running release',
      field: 'latestRelease',
      // Cut to fit the page's 1440 px layout; the whole id is in the tooltip.
      render: r => (
        <Identifier text={r.latestRelease} maxWidth="12ch" copy={false}>
          <span title={r.releasedAt && `released ${r.releasedAt}`}>
            {r.latestRelease}
          </span>
        </Identifier>
      ),
    },
    {
      title: 'What changed',
      render: r => changedKeysText(r.diff),
    },
  ];
  return (
    <ArchonTable
      title={`Apps with configuration changes not yet deployed (${rows.length})`}
      options={{ paging: false, search: false }}
      columns={columns}
      data={rows}
      detailPanel={r => (
        <Box p={2}>
          {r.rowData.masked && (
            <Typography variant="caption" color="textSecondary">
              Secret values are masked.
            </Typography>
          )}
          <ConfigDiffTable
            diff={r.rowData.diff}
            label={`Not yet deployed at ${r.rowData.path}`}
          />
        </Box>
      )}
    />
  );
};
