import {
  ARCHON_CONFIG_PATH_RESOURCE_TYPE,
  archonConfigReadPermission,
  archonConfigWritePermission,
  archonSecretsRevealPermission,
} from '@archon/plugin-archon-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { isPrefixOf, isValidConfigPath } from './core';

/** A configuration path as a permission resource: the path itself. */
export interface ConfigPathResource {
  path: string;
}

/** Query form of the rules, for filtering lists of paths. */
export type ConfigPathQuery = { prefix: string };

export const configPathResourceRef = createPermissionResourceRef<
  ConfigPathResource,
  ConfigPathQuery
>().with({
  pluginId: 'archon',
  resourceType: ARCHON_CONFIG_PATH_RESOURCE_TYPE,
});

/**
 * "The path is this prefix or below it" — the rule policies use to give a
 * team its own part of the configuration tree, e.g. write under `/team-a`.
 */
const PREFIX_JSON_SCHEMA = {
  type: 'object',
  properties: {
    prefix: {
      type: 'string',
      description: 'A configuration path, e.g. /team-a',
    },
  },
  required: ['prefix'],
  additionalProperties: false,
};

/**
 * The rule's parameters as a Standard Schema with its JSON Schema, the form
 * the permission framework asks for (zod v3 schemas are deprecated there).
 */
const prefixParams = {
  '~standard': {
    version: 1 as const,
    vendor: 'archon',
    types: undefined as unknown as {
      input: { prefix: string };
      output: { prefix: string };
    },
    validate(value: unknown) {
      const prefix = (value as { prefix?: unknown } | null)?.prefix;
      return typeof prefix === 'string' &&
        (prefix === '/' || isValidConfigPath(prefix))
        ? { value: { prefix } }
        : {
            issues: [
              {
                message: 'prefix must be a configuration path such as /team-a',
              },
            ],
          };
    },
    jsonSchema: {
      input: () => PREFIX_JSON_SCHEMA,
      output: () => PREFIX_JSON_SCHEMA,
    },
  },
};

export const isUnderConfigPathPrefix = createPermissionRule<
  typeof configPathResourceRef,
  { prefix: string }
>({
  name: 'IS_UNDER_CONFIG_PATH_PREFIX',
  description: 'Allow configuration paths at or below the given prefix',
  resourceRef: configPathResourceRef,
  paramsSchema: prefixParams,
  apply: (resource, { prefix }) =>
    prefix === '/' ||
    (isValidConfigPath(resource.path) && isPrefixOf(prefix, resource.path)),
  toQuery: ({ prefix }) => ({ prefix }),
});

/** Everything the permissions registry needs for the config path resource type. */
export const configPathResourceType = {
  resourceRef: configPathResourceRef,
  permissions: [
    archonConfigReadPermission,
    archonConfigWritePermission,
    archonSecretsRevealPermission,
  ],
  rules: [isUnderConfigPathPrefix],
  async getResources(refs: string[]) {
    return refs.map(path => ({ path }));
  },
};
