import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  BASE,
  errorBody,
  healthHandler,
  renderArchon,
} from '../../__testUtils__';
import { kafkaRouteRef, kafkaTopicRouteRef } from '../../routes';
import { KafkaTopicPage } from './KafkaTopicPage';

const description = {
  name: 'fresh',
  internal: false,
  replicationFactor: 1,
  messages: 3,
  writeRate: null,
  partitions: [
    {
      partition: 0,
      leader: 1,
      replicas: [1],
      isr: [1],
      offlineReplicas: [],
      underReplicated: false,
      startOffset: 0,
      endOffset: 3,
      messages: 3,
    },
  ],
  configs: [],
};

const topicEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'local.fresh',
    namespace: 'default',
    annotations: {
      'archon.io/kafka-cluster': 'local',
      'archon.io/kafka-topic': 'fresh',
    },
  },
  spec: { type: 'kafka-topic', owner: 'team' },
};

function render(entities: Entity[] = []) {
  return renderArchon(<KafkaTopicPage />, {
    entities,
    mountPath: '/archon/kafka/:cluster/topics/:topic',
    initialRouteEntries: ['/archon/kafka/local/topics/fresh'],
    mountedRoutes: {
      '/archon/kafka': kafkaRouteRef,
      '/archon/kafka/:cluster/topics/:topic': kafkaTopicRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
  });
}

describe('KafkaTopicPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  beforeEach(() => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/kafka/local/topics/fresh`, () =>
        HttpResponse.json(description),
      ),
      http.get(`${BASE}/kafka/local/topics/fresh/usage`, () =>
        HttpResponse.json({
          topic: 'fresh',
          consumerGroups: [],
          connectors: [],
          clients: [],
        }),
      ),
      http.get(`${BASE}/graph`, () =>
        HttpResponse.json({
          nodes: [],
          edges: [],
          totals: { nodes: 0, edges: 0 },
          contributors: [],
        }),
      ),
    );
  });

  it('shows a topic the catalog does not know yet, read from the cluster', async () => {
    await render();
    expect(
      await screen.findByRole('heading', { name: 'fresh' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No consumer group reads this topic.'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Partitions').length).toBeGreaterThan(0);
    expect(
      screen.getByRole('link', { name: 'All topics of local' }),
    ).toHaveAttribute('href', '/archon/kafka?cluster=local&tab=topics');
    expect(screen.queryByText(/Catalog entity/)).not.toBeInTheDocument();
  });

  it('links to the catalog entity once there is one', async () => {
    await render([topicEntity]);
    expect(await screen.findByText(/Catalog entity/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /fresh/ })).toHaveAttribute(
      'href',
      '/catalog/default/resource/local.fresh',
    );
  });

  it('says "not found on cluster" for a topic Kafka does not have', async () => {
    server.use(
      http.get(`${BASE}/kafka/local/topics/fresh`, () =>
        errorBody(404, 'NotFoundError', 'topic "fresh" does not exist'),
      ),
    );
    await render();
    expect(
      await screen.findByText(/Topic fresh not found on cluster local/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });
});
