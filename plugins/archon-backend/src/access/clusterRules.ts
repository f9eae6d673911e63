import {
  ARCHON_CLUSTER_RESOURCE_TYPE,
  archonPermissions,
} from '@archon/plugin-archon-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';

/** A system's cluster as a permission resource, from its ref `<system>:<cluster>`. */
export interface ClusterResource {
  system: string;
  cluster: string;
}

export const clusterResourceRef = createPermissionResourceRef<
  ClusterResource,
  { clusters: string[] }
>().with({
  pluginId: 'archon',
  resourceType: ARCHON_CLUSTER_RESOURCE_TYPE,
});

const CLUSTERS_JSON_SCHEMA = {
  type: 'object',
  properties: {
    clusters: {
      type: 'array',
      items: { type: 'string' },
      description: 'Cluster names as configured, e.g. ["dr"]',
    },
  },
  required: ['clusters'],
  additionalProperties: false,
};

/** The rule's parameters as a Standard Schema with its JSON Schema (as configPathRules' prefix). */
const clustersParams = {
  '~standard': {
    version: 1 as const,
    vendor: 'archon',
    types: undefined as unknown as {
      input: { clusters: string[] };
      output: { clusters: string[] };
    },
    validate(value: unknown) {
      const clusters = (value as { clusters?: unknown } | null)?.clusters;
      return Array.isArray(clusters) &&
        clusters.every(c => typeof c === 'string' && c !== '')
        ? { value: { clusters: clusters as string[] } }
        : {
            issues: [
              {
                message:
                  'clusters must be a list of cluster names such as ["dr"]',
              },
            ],
          };
    },
    jsonSchema: {
      input: () => CLUSTERS_JSON_SCHEMA,
      output: () => CLUSTERS_JSON_SCHEMA,
    },
  },
};

/**
 * "The cluster is one of these" — the rule policies use to scope a change to
 * environments, e.g. Kafka writes allowed on every cluster but `dr`
 * (`not: IS_IN_CLUSTER ["dr"]`). Names are matched whatever the system, so
 * one decision covers an environment's Kafka, Connect, ... clusters alike.
 */
export const isInCluster = createPermissionRule<
  typeof clusterResourceRef,
  { clusters: string[] }
>({
  name: 'IS_IN_CLUSTER',
  description: 'Allow the clusters of the given names (any system)',
  resourceRef: clusterResourceRef,
  paramsSchema: clustersParams,
  apply: (resource, { clusters }) => clusters.includes(resource.cluster),
  toQuery: ({ clusters }) => ({ clusters }),
});

/** `kafka:dr` → { system: 'kafka', cluster: 'dr' }; a ref without a system is taken as a cluster name alone. */
export function parseClusterRef(ref: string): ClusterResource {
  const colon = ref.indexOf(':');
  return colon < 0
    ? { system: '', cluster: ref }
    : { system: ref.slice(0, colon), cluster: ref.slice(colon + 1) };
}

/** Everything the permissions registry needs for the cluster resource type. */
export const clusterResourceType = {
  resourceRef: clusterResourceRef,
  permissions: archonPermissions.filter(
    p => 'resourceType' in p && p.resourceType === ARCHON_CLUSTER_RESOURCE_TYPE,
  ),
  rules: [isInCluster],
  async getResources(refs: string[]) {
    return refs.map(parseClusterRef);
  },
};
