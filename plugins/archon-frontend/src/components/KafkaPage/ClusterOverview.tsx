import { Grid } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { KafkaBroker } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { formatCount } from '../common/format';
import { ArchonTable } from '../common/ArchonTable';

/** A Kafka cluster's version, counts and brokers. */
export const ClusterOverview = ({ cluster }: { cluster: string }) => {
  const api = useApi(archonApiRef);
  const { value, loading, error } = useAsync(
    () => unwrap(api.kafkaGetCluster({ path: { cluster } })),
    [api, cluster],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  const columns: TableColumn<KafkaBroker>[] = [
    { title: 'Id', field: 'id', type: 'numeric', align: 'left' },
    { title: 'Host', field: 'host' },
    { title: 'Port', field: 'port', type: 'numeric', align: 'left' },
    { title: 'Rack', field: 'rack', render: b => b.rack ?? '—' },
    {
      title: 'Role',
      render: b => (b.id === value.controller ? 'controller' : ''),
    },
  ];
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <InfoCard title={`Cluster ${value.name}`}>
          <StructuredMetadataTable
            metadata={{
              version: value.version ?? 'unknown',
              'metadata version': value.metadataVersion ?? 'unknown',
              'cluster id': value.clusterId ?? 'unknown',
              controller: value.controller ?? '—',
              topics: formatCount(value.topicCount),
              partitions: formatCount(value.partitionCount),
              'under-replicated partitions': formatCount(
                value.underReplicatedPartitions,
              ),
              'offline partitions': formatCount(value.offlinePartitions),
            }}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <ArchonTable<KafkaBroker>
          title={`Brokers (${value.brokers.length})`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={columns}
          data={value.brokers}
        />
      </Grid>
    </Grid>
  );
};
