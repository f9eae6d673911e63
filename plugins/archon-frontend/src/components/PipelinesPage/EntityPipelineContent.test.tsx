import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  BASE,
  appEntity,
  errorBody,
  healthHandler,
  renderArchon,
} from '../../__testUtils__';
import { EntityPipelineContent } from './EntityPipelineContent';
import { graphNodeIdOf } from './graphModel';
import { sampleGraph } from './testGraph';

const mounted = { '/catalog/:namespace/:kind/:name': entityRouteRef };

const topicEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'local.sample.raw',
    annotations: {
      'archon.io/kafka-cluster': 'local',
      'archon.io/kafka-topic': 'sample.raw',
    },
  },
  spec: { type: 'kafka-topic', owner: 'team' },
};

describe('graphNodeIdOf', () => {
  it('builds app and topic ids as the backend does', () => {
    expect(
      graphNodeIdOf(
        appEntity({
          'archon.io/marathon-instance': 'local',
          'archon.io/marathon-app-id': '/sample/enricher',
        }),
      ),
    ).toBe('app:local/sample/enricher');
    expect(graphNodeIdOf(topicEntity)).toBe('topic:local/sample.raw');
    expect(
      graphNodeIdOf(appEntity({ 'archon.io/config-path': '/a' })),
    ).toBeUndefined();
  });
});

describe('EntityPipelineContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('draws the lineage around the topic in both directions', async () => {
    const requests: URL[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph/lineage/:nodeId`, ({ request, params }) => {
        requests.push(new URL(request.url));
        expect(decodeURIComponent(String(params.nodeId))).toBe(
          'topic:local/sample.raw',
        );
        return HttpResponse.json({
          root: 'topic:local/sample.raw',
          direction: 'both',
          depth: 3,
          ...sampleGraph(),
        });
      }),
    );
    await renderArchon(
      <EntityProvider entity={topicEntity}>
        <EntityPipelineContent />
      </EntityProvider>,
      { mountedRoutes: mounted },
    );
    expect(
      await screen.findByRole('button', {
        name: 'app sample/enricher, failed',
      }),
    ).toBeInTheDocument();
    expect(document.querySelectorAll('path[data-drift="true"]')).toHaveLength(
      1,
    );
    expect(requests[0].searchParams.get('direction')).toBe('both');
    expect(requests[0].searchParams.get('depth')).toBe('3');
  });

  it('says when the app is not in the graph', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph/lineage/:nodeId`, () =>
        errorBody(
          404,
          'NotFoundError',
          'No node app:local/x; try /graph/search',
        ),
      ),
    );
    await renderArchon(
      <EntityProvider
        entity={appEntity({
          'archon.io/marathon-instance': 'local',
          'archon.io/marathon-app-id': '/x',
        })}
      >
        <EntityPipelineContent />
      </EntityProvider>,
      { mountedRoutes: mounted },
    );
    expect(await screen.findByText('Not in the graph')).toBeInTheDocument();
  });
});
