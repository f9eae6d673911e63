import type { ApiEntity, ComponentEntity } from '@backstage/catalog-model';

export interface ArchonApiEntityOptions {
  /** Who owns archon in this catalog (`archon.catalog.owner`). */
  owner: string;
  /** Where the API is served, for the entity's links (`backend.baseUrl`). */
  baseUrl: string;
  /** The OpenAPI document, as served at /api/archon/openapi.json. */
  spec: object;
  locationRef?: string;
}

/**
 * archon itself in the catalog: the `archon` service component and the
 * `archon-api` OpenAPI entity it provides, so the portal's APIs page renders
 * the very document the backend validates requests against.
 */
export function archonApiEntities(
  options: ArchonApiEntityOptions,
): [ComponentEntity, ApiEntity] {
  const location =
    options.locationRef ??
    `url:${options.baseUrl.replace(/\/+$/, '')}/api/archon/openapi.json`;
  const annotations = {
    'backstage.io/managed-by-location': location,
    'backstage.io/managed-by-origin-location': location,
  };
  const apiUrl = `${options.baseUrl.replace(/\/+$/, '')}/api/archon`;
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'archon',
        title: 'archon',
        description:
          'The management portal for microservice clusters: Pheidippides configuration in ZooKeeper, Kafka, Kafka Connect and Marathon through one API, GUI and CLI.',
        annotations,
        links: [{ url: `${apiUrl}/openapi.json`, title: 'OpenAPI document' }],
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: options.owner,
        providesApis: ['archon-api'],
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name: 'archon-api',
        title: 'archon REST API',
        description: `archon's single REST API under ${apiUrl}; errors, paging and long-running operations are described in docs/api.md.`,
        annotations,
      },
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: options.owner,
        // JSON is YAML: the API docs plugin renders it as it is.
        definition: JSON.stringify(options.spec, null, 2),
      },
    },
  ];
}
