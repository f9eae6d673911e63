import type { Entity } from '@backstage/catalog-model';

/** A kafka-connector Component as archon's catalog provider makes it. */
export const connectorEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'local.orders-sink',
    annotations: {
      'archon.io/connect-cluster': 'local',
      'archon.io/connector': 'orders-sink',
      'archon.io/kafka-cluster': 'kafka-local',
    },
  },
  spec: { type: 'kafka-connector', owner: 'team', lifecycle: 'production' },
};

/** The kafka-topic Resource of `orders` on `kafka-local`. */
export const topicEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'kafka-local.orders',
    namespace: 'default',
    annotations: {
      'archon.io/kafka-cluster': 'kafka-local',
      'archon.io/kafka-topic': 'orders',
    },
  },
  spec: { type: 'kafka-topic', owner: 'team' },
};

/** `GET /connect/local/connectors/orders-sink`: one task running, one failed, a masked secret. */
export const connector = {
  name: 'orders-sink',
  type: 'sink',
  state: 'RUNNING',
  workerId: 'connect-1:8083',
  tasks: [
    { id: 0, state: 'RUNNING', workerId: 'connect-1:8083' },
    {
      id: 1,
      state: 'FAILED',
      workerId: 'connect-2:8083',
      trace: 'org.apache.kafka.connect.errors.ConnectException: disk full',
    },
  ],
  failedTasks: 1,
  config: {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    name: 'orders-sink',
    'tasks.max': '2',
    topics: 'orders,payments',
    'db.password': '********',
  },
  activeTopics: ['orders', 'payments'],
};

/** Replaces an input's text in one paste: typing key by key re-renders the editor per character, too slow on a loaded machine. */
export async function replaceText(
  user: {
    clear(e: Element): Promise<void>;
    paste(text: string): Promise<void>;
  },
  element: Element,
  text: string,
) {
  await user.clear(element);
  await user.paste(text);
}
