import { Box, Tab, Tabs } from '@material-ui/core';
import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useAppSearchParams } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { ClusterPicker, useClusterParam } from '../common/ClusterPicker';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { ClusterOverview } from './ClusterOverview';
import { ConsumerGroupsTable } from './ConsumerGroupsTable';
import { TopicsTable } from './TopicsTable';

type Section = 'overview' | 'topics' | 'groups';

/**
 * Kafka: per configured cluster its brokers, topics (paged, filtered,
 * create) and consumer groups (lag, offset reset). `?cluster=`, `?tab=` and
 * `?group=` make every view linkable. One cluster at a time: topics and
 * groups are paged by the cluster's own cursors, so "all clusters" would be
 * one page of each, not one list.
 */
export const KafkaPage = () => {
  const api = useApi(archonApiRef);
  const [params, setParams] = useAppSearchParams();
  const clusters = useAsync(() => unwrap(api.kafkaListClusters({})), [api]);
  const names = clusters.value?.items.map(c => c.name) ?? [];
  const picked = useClusterParam(names);
  const cluster = picked.cluster;
  const tab = (params.get('tab') as Section) || 'topics';
  const go = (next: { tab: Section }) =>
    setParams({ cluster: cluster ?? '', tab: next.tab });

  return (
    <Page themeId="tool">
      <Header
        title="Kafka"
        subtitle="Clusters, brokers, topics and consumer groups"
      />
      <Content>
        <SystemsDownBanner
          kinds={['kafka']}
          consequence="Its topics and consumer groups cannot be shown."
        />
        {clusters.loading && <Progress />}
        {clusters.error && <ResponseErrorPanel error={clusters.error} />}
        {clusters.value && names.length === 0 && (
          <EmptyState
            missing="data"
            title="No Kafka cluster is configured"
            description="Add one under archon.kafka.clusters in app-config."
          />
        )}
        {cluster && (
          <>
            <ClusterPicker
              label="Kafka cluster"
              names={names}
              value={cluster}
              // A group or filter of one cluster means nothing on another.
              onChange={v => picked.select(v, ['group', 'lagging'])}
            />
            <Tabs
              value={tab}
              onChange={(_, v) => go({ tab: v })}
              indicatorColor="primary"
              aria-label={`Views of cluster ${cluster}`}
            >
              <Tab value="overview" label="Brokers" />
              <Tab value="topics" label="Topics" />
              <Tab value="groups" label="Consumer groups" />
            </Tabs>
            <Box mt={2} key={cluster}>
              {tab === 'overview' && <ClusterOverview cluster={cluster} />}
              {tab === 'topics' && <TopicsTable cluster={cluster} />}
              {tab === 'groups' && (
                <ConsumerGroupsTable
                  cluster={cluster}
                  initialGroup={params.get('group') ?? undefined}
                  initialLagging={params.get('lagging') === 'true'}
                />
              )}
            </Box>
          </>
        )}
      </Content>
    </Page>
  );
};
