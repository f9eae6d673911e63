import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  type TableColumn,
} from '@backstage/core-components';
import { Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import type { ArchonSystemHealth } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import {
  configRouteRef,
  connectRouteRef,
  kafkaRouteRef,
  marathonRouteRef,
  zookeeperRouteRef,
} from '../../routes';
import { ArchonTable } from '../common/ArchonTable';
import { sinceClause } from '../HomeWidgets/SystemHealthWidget';

/**
 * The pages that manage a system of a kind (health's `kind`); `picks` when
 * the page shows one system of the kind at a time (`?cluster=<name>`).
 */
type ManagePages = Record<
  string,
  { to?: string; label: string; picks?: boolean }[]
>;

const baseColumns: TableColumn<ArchonSystemHealth>[] = [
  {
    title: 'Status',
    field: 'status',
    render: s =>
      s.status === 'up' ? (
        <StatusOK>up</StatusOK>
      ) : (
        <StatusError>unreachable</StatusError>
      ),
  },
  {
    title: 'Since',
    field: 'since',
    render: s => (
      <span title={s.sinceUnknownBefore}>
        {sinceClause(s, Date.now()) ?? '—'}
      </span>
    ),
  },
  { title: 'Kind', field: 'kind' },
  { title: 'Name', field: 'name' },
  { title: 'Version', field: 'version' },
  { title: 'Endpoint', field: 'endpoint' },
  { title: 'Problem', field: 'error' },
  { title: 'Probe (ms)', field: 'latencyMs', type: 'numeric' },
];

/** Every configured system with its reachability and version. */
export const SystemsPage = () => {
  const api = useApi(archonApiRef);
  const configPage = useRouteRef(configRouteRef)?.();
  const zookeeperPage = useRouteRef(zookeeperRouteRef)?.();
  const kafkaPage = useRouteRef(kafkaRouteRef)?.();
  const connectPage = useRouteRef(connectRouteRef)?.();
  const marathonPage = useRouteRef(marathonRouteRef)?.();
  const pages: ManagePages = {
    zookeeper: [
      { to: zookeeperPage, label: 'ZooKeeper', picks: true },
      { to: configPage, label: 'Configuration' },
    ],
    kafka: [{ to: kafkaPage, label: 'Kafka', picks: true }],
    'kafka-connect': [{ to: connectPage, label: 'Kafka Connect', picks: true }],
    marathon: [{ to: marathonPage, label: 'Marathon', picks: true }],
  };
  const columns: TableColumn<ArchonSystemHealth>[] = [
    ...baseColumns,
    {
      title: 'Manage',
      sorting: false,
      render: s => {
        // Only pages that are mounted: a link without a target would be an empty cell that looks clickable.
        const links = (pages[s.kind] ?? []).filter(page => page.to);
        return links.map((page, i) => (
          <span key={page.label}>
            {i > 0 && ' · '}
            <Link
              to={
                page.picks
                  ? `${page.to}?cluster=${encodeURIComponent(s.name)}`
                  : page.to!
              }
            >
              {page.label}
            </Link>
          </span>
        ));
      },
    },
  ];
  const { value, loading, error } = useAsync(async () => {
    const response = await api.getHealth({ query: {} });
    if (!response.ok) {
      throw new Error(
        `archon answered ${response.status} ${response.statusText}`,
      );
    }
    return response.json();
  }, [api]);

  return (
    <Page themeId="tool">
      <Header title="archon" subtitle="The systems archon manages" />
      <Content>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <ArchonTable
            title={`Systems (${value.status === 'up' ? 'all up' : 'degraded'})`}
            options={{ paging: false, search: false }}
            columns={columns}
            data={value.systems}
          />
        )}
      </Content>
    </Page>
  );
};
