import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { TestApiProvider } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useCatalogRefs } from './useCatalogRefs';

const topicKey = (a: Record<string, string>) => a['archon.io/kafka-topic'];

describe('useCatalogRefs', () => {
  it("asks the catalog for the rows' entities only, and not at all for no rows", async () => {
    const filters: unknown[] = [];
    const catalogApi = {
      getEntities: async ({ filter }: { filter: unknown }) => {
        filters.push(filter);
        return {
          items: [
            {
              kind: 'Resource',
              metadata: {
                name: 'local.orders',
                namespace: 'default',
                annotations: { 'archon.io/kafka-topic': 'orders' },
              },
            },
          ],
        };
      },
    };
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[catalogApiRef, catalogApi as any]]}>
        {children}
      </TestApiProvider>
    );
    const { result, rerender } = renderHook(
      ({ names }: { names: string[] }) =>
        useCatalogRefs({
          kind: 'Resource',
          type: 'kafka-topic',
          where: { 'archon.io/kafka-cluster': 'local' },
          whereIn: { 'archon.io/kafka-topic': names },
          keyOf: topicKey,
        }),
      { wrapper, initialProps: { names: [] as string[] } },
    );
    expect(result.current.size).toBe(0);
    rerender({ names: ['orders', 'payments'] });
    await waitFor(() =>
      expect(result.current.get('orders')).toBe(
        'resource:default/local.orders',
      ),
    );
    expect(filters).toEqual([
      {
        kind: 'Resource',
        'spec.type': 'kafka-topic',
        'metadata.annotations.archon.io/kafka-cluster': 'local',
        'metadata.annotations.archon.io/kafka-topic': ['orders', 'payments'],
      },
    ]);
  });
});
