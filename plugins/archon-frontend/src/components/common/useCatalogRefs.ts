import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

const EMPTY = new Map<string, string>();

/**
 * Catalog entities of one kind/type indexed by an annotation value, so pages
 * can link rows (topics, connectors, ...) to their entity pages when an
 * entity exists. A failing catalog just means no links.
 */
export function useCatalogRefs(options: {
  kind: string;
  type: string;
  /** Only entities with these annotation values. */
  where?: Record<string, string>;
  /**
   * Only entities whose annotation is one of these values: a page of rows
   * asks for its own entities, not for every entity of a 10,000-topic
   * cluster (the scale benchmark's Kafka page did). No values, no request.
   */
  whereIn?: Record<string, string[]>;
  /** The key of an entity in the returned map. */
  keyOf: (annotations: Record<string, string>) => string | undefined;
}): Map<string, string> {
  const catalogApi = useApi(catalogApiRef);
  const whereKey = JSON.stringify([options.where ?? {}, options.whereIn]);
  const { keyOf } = options;
  const { value } = useAsync(async () => {
    const [where, whereIn] = JSON.parse(whereKey) as [
      Record<string, string>,
      Record<string, string[]> | undefined,
    ];
    const filter: Record<string, string | string[]> = {
      kind: options.kind,
      'spec.type': options.type,
    };
    for (const [k, v] of Object.entries(where)) {
      filter[`metadata.annotations.${k}`] = v;
    }
    for (const [k, values] of Object.entries(whereIn ?? {})) {
      if (values.length === 0) return EMPTY;
      filter[`metadata.annotations.${k}`] = values;
    }
    const { items } = await catalogApi.getEntities({
      filter,
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
      ],
    });
    const map = new Map<string, string>();
    for (const entity of items) {
      const key = keyOf(entity.metadata.annotations ?? {});
      if (key !== undefined) map.set(key, stringifyEntityRef(entity));
    }
    return map;
    // keyOf is expected to be stable (module-level).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, options.kind, options.type, whereKey]);
  return value ?? EMPTY;
}
