import { Typography } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { MaybeEntityLink } from '../common/EntityLink';
import { useCatalogRefs } from '../common/useCatalogRefs';

const topicKey = (a: Record<string, string>) => a['archon.io/kafka-topic'];

/**
 * The topics the connector actually uses (Connect's active topics), each
 * linked to its kafka-topic entity when the catalog has one. Topic entities
 * are looked up in the connector's Kafka cluster when the entity names it.
 */
export const ConnectorTopicsCard = (props: {
  cluster: string;
  name: string;
  kafkaCluster?: string;
  /** Changes when the connector was acted on, to read the topics again. */
  reloadKey: number;
}) => {
  const api = useApi(archonApiRef);
  const { cluster, name, reloadKey } = props;
  const topics = useAsync(
    () => unwrap(api.connectGetConnectorTopics({ path: { cluster, name } })),
    [api, cluster, name, reloadKey],
  );
  const refs = useCatalogRefs({
    kind: 'Resource',
    type: 'kafka-topic',
    where: props.kafkaCluster
      ? { 'archon.io/kafka-cluster': props.kafkaCluster }
      : undefined,
    keyOf: topicKey,
  });
  const list = topics.value?.topics ?? [];

  return (
    <InfoCard title="Topics in use">
      {topics.loading && !topics.value && <Progress />}
      {topics.error && <ResponseErrorPanel error={topics.error} />}
      {topics.value && list.length === 0 && (
        <Typography variant="body2">
          Connect reports no active topics: they appear once the tasks have read
          or written a topic.
        </Typography>
      )}
      {list.length > 0 && (
        <ul aria-label={`Topics of ${name}`}>
          {list.map(topic => (
            <li key={topic}>
              <MaybeEntityLink entityRef={refs.get(topic)} text={topic} />
            </li>
          ))}
        </ul>
      )}
    </InfoCard>
  );
};
