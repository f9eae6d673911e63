import { Typography } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { KafkaTopicUsage } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { formatCount } from '../common/format';
import { ConnectState } from '../ConnectPage/ConnectState';

/** The relation types archon-marathon puts between an app and its topics. */
const TOPIC_RELATIONS: Record<string, 'consumes' | 'produces'> = {
  archonConsumesFrom: 'consumes',
  archonProducesTo: 'produces',
};

interface TopicUse {
  direction: 'consumes' | 'produces';
  cluster: string;
  topic: string;
  usage?: KafkaTopicUsage;
  error?: Error;
}

/**
 * The Kafka side of an app: for each topic its configuration names (the
 * catalog relations), the consumer groups reading it with their lag and the
 * connectors using it with their state.
 */
export const KafkaLinksCard = ({ entity }: { entity: Entity }) => {
  const catalogApi = useApi(catalogApiRef);
  const api = useApi(archonApiRef);
  const relations = (entity.relations ?? []).filter(
    r => TOPIC_RELATIONS[r.type],
  );
  const refsKey = relations.map(r => `${r.type}:${r.targetRef}`).join(',');
  const uses = useAsync(async (): Promise<TopicUse[]> => {
    if (relations.length === 0) return [];
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: relations.map(r => r.targetRef),
    });
    const found: TopicUse[] = [];
    items.forEach((topicEntity, i) => {
      const a = topicEntity?.metadata.annotations ?? {};
      const cluster = a['archon.io/kafka-cluster'];
      const topic = a['archon.io/kafka-topic'];
      if (cluster && topic)
        found.push({
          direction: TOPIC_RELATIONS[relations[i].type],
          cluster,
          topic,
        });
    });
    return Promise.all(
      found.map(async use => {
        try {
          return {
            ...use,
            usage: await unwrap(
              api.kafkaGetTopicUsage({
                path: { cluster: use.cluster, topic: use.topic },
              }),
            ),
          };
        } catch (error) {
          return { ...use, error: error as Error };
        }
      }),
    );
    // relations are read through refsKey
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, api, refsKey]);

  return (
    <InfoCard
      title="Kafka"
      subheader="Topics its configuration names, their consumer groups and connectors"
    >
      {uses.loading && <Progress />}
      {uses.error && <ResponseErrorPanel error={uses.error} />}
      {uses.value?.length === 0 && (
        <Typography variant="body2">
          Its configuration names no Kafka topic the catalog knows.
        </Typography>
      )}
      {uses.value?.map(use => (
        <section
          key={`${use.direction}/${use.cluster}/${use.topic}`}
          aria-label={`Topic ${use.topic}`}
        >
          <Typography variant="subtitle2" component="h3">
            {use.direction} {use.topic} ({use.cluster})
          </Typography>
          {use.error && (
            <Typography color="error" variant="body2">
              Kafka did not answer: {use.error.message}
            </Typography>
          )}
          {use.usage && (
            <ul>
              {use.usage.consumerGroups.map(g => (
                <li key={g.groupId}>
                  consumer group {g.groupId} ({g.state}): lag{' '}
                  {formatCount(g.lag)}
                </li>
              ))}
              {use.usage.connectors.map(c => (
                <li key={`${c.connectCluster}/${c.name}`}>
                  connector {c.name} on {c.connectCluster}:{' '}
                  <ConnectState state={c.state ?? 'UNKNOWN'} />
                </li>
              ))}
              {use.usage.consumerGroups.length + use.usage.connectors.length ===
                0 && <li>No consumer group or connector uses it.</li>}
            </ul>
          )}
        </section>
      ))}
    </InfoCard>
  );
};
