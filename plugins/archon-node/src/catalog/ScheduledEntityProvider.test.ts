import type { SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import {
  ScheduledEntityProvider,
  type EntitySource,
} from './ScheduledEntityProvider';

const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name },
  spec: { type: 'test', owner: 'team' },
});

/** Sources whose answers the test sets between refreshes. */
class TestProvider extends ScheduledEntityProvider {
  answers: Record<string, Entity[] | Error> = {};

  constructor(taskRunner?: SchedulerServiceTaskRunner) {
    super({
      name: 'test-provider',
      logger: mockServices.logger.mock(),
      taskRunner,
    });
  }

  protected sources(): EntitySource[] {
    return ['a', 'b'].map(key => ({
      key,
      label: `source ${key}`,
      read: async () => {
        const answer = this.answers[key];
        if (answer instanceof Error) throw answer;
        return answer ?? [];
      },
    }));
  }
}

function connection() {
  const applied: Array<{
    type: string;
    entities: Array<{ entity: Entity; locationKey?: string }>;
  }> = [];
  const conn: EntityProviderConnection = {
    applyMutation: async mutation => {
      applied.push(mutation as (typeof applied)[number]);
    },
    refresh: async () => {},
  };
  return { conn, applied };
}

const names = (m: { entities: Array<{ entity: Entity }> }) =>
  m.entities.map(e => e.entity.metadata.name);

describe('ScheduledEntityProvider', () => {
  it('applies one full mutation with every source in order, keyed by the provider', async () => {
    const provider = new TestProvider();
    const { conn, applied } = connection();
    await provider.connect(conn);
    provider.answers = { a: [entity('a1'), entity('a2')], b: [entity('b1')] };

    expect(await provider.refresh()).toBe(3);
    expect(applied).toHaveLength(1);
    expect(applied[0].type).toBe('full');
    expect(names(applied[0])).toEqual(['a1', 'a2', 'b1']);
    expect(
      applied[0].entities.every(e => e.locationKey === 'test-provider'),
    ).toBe(true);
  });

  it("keeps an unreadable source's last entities instead of orphaning them", async () => {
    const provider = new TestProvider();
    const { conn, applied } = connection();
    await provider.connect(conn);
    provider.answers = { a: [entity('a1')], b: [entity('b1')] };
    await provider.refresh();

    provider.answers = {
      a: new Error('connection refused'),
      b: [entity('b2')],
    };
    await provider.refresh();
    expect(names(applied[1])).toEqual(['a1', 'b2']);

    // Back again: its current entities replace the kept ones.
    provider.answers = { a: [], b: [entity('b2')] };
    await provider.refresh();
    expect(names(applied[2])).toEqual(['b2']);
  });

  it('emits nothing for a source that was never readable', async () => {
    const provider = new TestProvider();
    provider.answers = { a: new Error('down'), b: [entity('b1')] };
    expect((await provider.read()).map(e => e.metadata.name)).toEqual(['b1']);
  });

  it('refuses to refresh before the catalog connected it', async () => {
    await expect(new TestProvider().refresh()).rejects.toThrow(
      'test-provider is not connected yet',
    );
  });

  it('schedules its refresh under the provider name', async () => {
    const run = jest.fn(async () => {});
    const provider = new TestProvider({ run } as never);
    await provider.connect(connection().conn);
    expect(run).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'test-provider:refresh' }),
    );
  });
});
