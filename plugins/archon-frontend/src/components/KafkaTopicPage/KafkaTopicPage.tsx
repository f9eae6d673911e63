import { Box, Link as MuiLink } from '@material-ui/core';
import { Content, Header, Link, Page } from '@backstage/core-components';
import { useRouteRef, useRouteRefParams } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { kafkaRouteRef, kafkaTopicRouteRef } from '../../routes';
import { useCatalogRefs } from '../common/useCatalogRefs';
import { KafkaTopicDetails } from '../KafkaTopicContent/KafkaTopicDetails';

const topicKey = (a: Record<string, string>) => a['archon.io/kafka-topic'];

/**
 * A topic's own page (`/archon/kafka/:cluster/topics/:topic`): what the
 * topic entity's "Kafka" tab shows, read from the cluster, so a topic created
 * a moment ago opens before the catalog has an entity for it. Links to that
 * entity once it exists.
 */
export const KafkaTopicPage = () => {
  const { cluster, topic } = useRouteRefParams(kafkaTopicRouteRef);
  const kafkaPage = useRouteRef(kafkaRouteRef);
  const refs = useCatalogRefs({
    kind: 'Resource',
    type: 'kafka-topic',
    where: { 'archon.io/kafka-cluster': cluster },
    whereIn: { 'archon.io/kafka-topic': [topic] },
    keyOf: topicKey,
  });
  const entityRef = refs.get(topic);
  const topicsOfCluster = kafkaPage
    ? `${kafkaPage()}?${new URLSearchParams({ cluster, tab: 'topics' })}`
    : undefined;

  return (
    <Page themeId="tool">
      <Header title={topic} subtitle={`Kafka topic on cluster ${cluster}`} />
      <Content>
        <KafkaTopicDetails
          key={`${cluster}/${topic}`}
          cluster={cluster}
          topic={topic}
          afterDelete={
            topicsOfCluster && (
              <MuiLink component={Link} to={topicsOfCluster}>
                All topics of {cluster}
              </MuiLink>
            )
          }
          links={
            <Box display="flex" flexDirection="column">
              {entityRef && (
                <span>
                  Catalog entity:{' '}
                  <EntityRefLink entityRef={entityRef} defaultKind="resource" />
                </span>
              )}
              {topicsOfCluster && (
                <MuiLink component={Link} to={topicsOfCluster}>
                  All topics of {cluster}
                </MuiLink>
              )}
            </Box>
          }
        />
      </Content>
    </Page>
  );
};
