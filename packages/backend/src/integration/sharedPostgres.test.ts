/*
 * archon scales out as several backend replicas on one PostgreSQL database
 * (Backstage's deployment model). These tests run the catalog on the real
 * PostgreSQL of the local cluster, and two backends on the same database:
 * what one writes, the other serves.
 */
import { randomBytes } from 'node:crypto';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import { ensureLocalCluster } from '@archon/local-cluster';
import {
  eventually,
  startArchonTestBackend,
  testNamespace,
  waitFor,
} from '@archon/test-utils';
import archonPlugin from '@archon/plugin-archon-backend';

jest.setTimeout(120_000);

/**
 * A provider that puts the given entities into the catalog once connected;
 * with no entities it only registers (replicas run the same providers, and
 * the catalog removes entities of providers that no replica has).
 */
function staticEntitiesModule(moduleId: string, entities?: Entity[]) {
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
              if (!entities) return;
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

const zkRoot = `${testNamespace('shared-postgres').zkRoot}/pheidippides`;

async function startCatalogBackend(prefix: string, extra: unknown[] = []) {
  const cluster = await ensureLocalCluster({ withPostgres: true });
  const connection = cluster.postgres!.connectionString;
  return startArchonTestBackend({
    features: [
      archonPlugin,
      databaseServiceFactory,
      catalogPlugin,
      ...(extra as []),
    ],
    cluster,
    zookeeper: { root: zkRoot },
    config: {
      backend: {
        database: { client: 'pg', connection, prefix },
      },
      catalog: {
        processingInterval: { seconds: 1 },
      },
    },
  });
}

async function waitForEntity(
  server: Parameters<typeof request>[0],
  name: string,
): Promise<Entity> {
  return waitFor(
    async () => {
      const res = await request(server).get(
        `/api/catalog/entities/by-name/component/default/${name}`,
      );
      return res.status === 200 ? (res.body as Entity) : undefined;
    },
    60_000,
    `the catalog to serve ${name}`,
  );
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
    // Replicas start one after the other, as in a rolling deploy: the first
    // one migrates the shared database.
    const writer = await startCatalogBackend(sharedPrefix, [
      staticEntitiesModule('writer', [component('payments-service')]),
    ]);
    await waitForEntity(writer.server, 'payments-service');
    const reader = await startCatalogBackend(sharedPrefix, [
      staticEntitiesModule('writer'),
    ]);
    try {
      // The reader's provider emits nothing: it can only see the entity
      // through the shared database.
      const entity = await waitForEntity(reader.server, 'payments-service');
      expect(entity.metadata.name).toBe('payments-service');
      // archon's own durable state: a configuration write through one
      // replica is in the history that the other serves.
      const write = await request(writer.server)
        .put('/api/archon/config/sets/shared/app')
        .send({ properties: { replicas: 'two' } });
      expect(write.status).toBe(200);
      const history = await request(reader.server).get(
        '/api/archon/config/history/shared/app',
      );
      expect(history.status).toBe(200);
      expect(history.body.items).toEqual([
        expect.objectContaining({ action: 'put', changedKeys: ['replicas'] }),
      ]);
      // The reader learns of the write through its ZooKeeper watch.
      await eventually(async () => {
        const effective = await request(reader.server).get(
          '/api/archon/config/effective/shared/app',
        );
        expect(effective.status).toBe(200);
        expect(effective.body.properties).toEqual({ replicas: 'two' });
      });

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
