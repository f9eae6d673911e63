import { screen } from '@testing-library/react';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { BASE, errorBody, renderArchon } from '../../__testUtils__';
import {
  kafkaTopicEntity,
  topicDescription,
  topicHandlers,
} from '../../__testUtils__/kafkaTopic';
import { kafkaRouteRef, kafkaTopicRouteRef } from '../../routes';
import { KafkaTopicPage } from './KafkaTopicPage';

const description = topicDescription('fresh', [[0, 3]]);

const topicEntity = kafkaTopicEntity('fresh');

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
    server.use(...topicHandlers(description));
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
