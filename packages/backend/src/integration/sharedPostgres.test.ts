/*
 * archon scales out as several backend replicas on one PostgreSQL database
 * (Backstage's deployment model). These tests run the catalog on the real
 * PostgreSQL of the local cluster, and two backends on the same database:
 * what one writes, the other serves.
 */
import { randomBytes } from 'node:crypto';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { ensureLocalCluster } from '@archon/local-cluster';

jest.setTimeout(180_000);

/** A provider that puts the given entities into the catalog once connected. */
function staticEntitiesModule(moduleId: string, entities: Entity[]) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId,
    register(env) {
      env.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => `test-${moduleId}`,
            async connect(connection) {
              await connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity,
                  locationKey: `test-${moduleId}`,
                })),
              });
            },
          });
        },
      });
    },
  });
}

function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-location': `url:http://archon.test/${name}`,
        'backstage.io/managed-by-origin-location': `url:http://archon.test/${name}`,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

async function startCatalogBackend(prefix: string, extra: unknown[] = []) {
  const cluster = await ensureLocalCluster({ withPostgres: true });
  const connection = cluster.postgres!.connectionString;
  return startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'pg', connection, prefix },
          },
          catalog: {
            processingInterval: { seconds: 1 },
          },
        },
      }),
      databaseServiceFactory,
      import('@backstage/plugin-catalog-backend'),
      ...(extra as []),
    ],
  });
}

async function waitForEntity(
  server: Parameters<typeof request>[0],
  name: string,
): Promise<Entity> {
  for (;;) {
    const res = await request(server).get(
      `/api/catalog/entities/by-name/component/default/${name}`,
    );
    if (res.status === 200) return res.body;
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('the catalog on PostgreSQL', () => {
  // A fresh database prefix per run, so runs never see each other's data.
  const prefix = `archon_test_${randomBytes(4).toString('hex')}_`;

  it('stores and serves entities', async () => {
    const backend = await startCatalogBackend(prefix, [
      staticEntitiesModule('one', [component('orders-service')]),
    ]);
    try {
      const entity = await waitForEntity(backend.server, 'orders-service');
      expect(entity.spec).toMatchObject({ owner: 'team-a' });
    } finally {
      await backend.stop();
    }
  });

  it('shows what one backend wrote through another on the same database', async () => {
    const sharedPrefix = `${prefix}shared_`;
    const writer = await startCatalogBackend(sharedPrefix, [
      staticEntitiesModule('writer', [component('payments-service')]),
    ]);
    const reader = await startCatalogBackend(sharedPrefix);
    try {
      // The reader has no provider of its own: it can only see the entity
      // through the shared database.
      const entity = await waitForEntity(reader.server, 'payments-service');
      expect(entity.metadata.name).toBe('payments-service');
      const list = await request(reader.server).get(
        '/api/catalog/entities/by-query?filter=kind=component',
      );
      expect(list.status).toBe(200);
      expect(list.body.items.map((e: Entity) => e.metadata.name)).toContain(
        'payments-service',
      );
    } finally {
      await Promise.all([writer.stop(), reader.stop()]);
    }
  });
});
