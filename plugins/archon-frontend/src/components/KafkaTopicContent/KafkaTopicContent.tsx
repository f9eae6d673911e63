import { Box, Link as MuiLink } from '@material-ui/core';
import { Link, WarningPanel } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { kafkaRouteRef, kafkaTopicRouteRef } from '../../routes';
import { KafkaTopicDetails } from './KafkaTopicDetails';

export const KAFKA_CLUSTER_ANNOTATION = 'archon.io/kafka-cluster';
export const KAFKA_TOPIC_ANNOTATION = 'archon.io/kafka-topic';

/**
 * The "Kafka" tab of a topic entity: the topic's details (the same the topic
 * page shows), with a link to that page and to the cluster's topic list.
 */
export const KafkaTopicContent = () => {
  const { entity } = useEntity();
  const cluster = entity.metadata.annotations?.[KAFKA_CLUSTER_ANNOTATION];
  const topic = entity.metadata.annotations?.[KAFKA_TOPIC_ANNOTATION];
  const kafkaPage = useRouteRef(kafkaRouteRef);
  const topicPage = useRouteRef(kafkaTopicRouteRef);

  if (!cluster || !topic) {
    return (
      <WarningPanel
        title="Not a Kafka topic archon knows"
        message={`This entity needs the ${KAFKA_CLUSTER_ANNOTATION} and ${KAFKA_TOPIC_ANNOTATION} annotations.`}
      />
    );
  }
  return (
    <KafkaTopicDetails
      cluster={cluster}
      topic={topic}
      afterDelete="The catalog removes this entity at its next refresh."
      links={
        <Box display="flex" flexDirection="column">
          {topicPage && (
            <MuiLink component={Link} to={topicPage({ cluster, topic })}>
              Open the topic page
            </MuiLink>
          )}
          {kafkaPage && (
            <MuiLink
              component={Link}
              to={`${kafkaPage()}?${new URLSearchParams({
                cluster,
                tab: 'topics',
              })}`}
            >
              All topics of {cluster}
            </MuiLink>
          )}
        </Box>
      }
    />
  );
};
