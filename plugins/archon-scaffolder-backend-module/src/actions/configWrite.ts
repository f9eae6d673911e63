import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  maskSecretValues,
  type ConfigWriteResponse,
} from '@archon/plugin-archon-common';
import { archonCallFor, expectOk, type ArchonActionDeps } from './archonApi';
import { normalizeConfigPath, validatePropertyKeys } from './validation';

/**
 * `archon:config:write`: writes one level's Pheidippides configuration set
 * through archon's API (PATCH to merge, PUT to replace).
 */
export function createArchonConfigWriteAction(deps: ArchonActionDeps) {
  return createTemplateAction({
    id: 'archon:config:write',
    description:
      "Writes one level's configuration set in archon (Pheidippides in ZooKeeper), as the user running the template.",
    schema: {
      input: {
        path: z =>
          z
            .string()
            .describe('Configuration path, e.g. /team-a/orders/enricher'),
        // Numbers and booleans are accepted because the scaffolder's templating
        // turns '${{ parameters.instances }}' into a number; stored as strings.
        properties: z =>
          z
            .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
            .describe(
              'Keys (A-Z a-z 0-9 . _ -) mapped to values (stored as strings)',
            ),
        mode: z =>
          z
            .enum(['merge', 'replace'])
            .optional()
            .describe(
              'merge (default) sets these keys and keeps the others; replace makes the set exactly these keys',
            ),
        expectedVersion: z =>
          z
            .number()
            .int()
            .optional()
            .describe(
              'Fail unless the set is at this version (-1: must not exist yet)',
            ),
        ensemble: z =>
          z
            .string()
            .optional()
            .describe("ZooKeeper ensemble; archon's default when absent"),
      },
      output: {
        path: z => z.string(),
        version: z => z.number().optional(),
        changedKeys: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const { expectedVersion, ensemble } = ctx.input;
      const properties = Object.fromEntries(
        Object.entries(ctx.input.properties).map(([key, value]) => [
          key,
          String(value),
        ]),
      );
      const mode = ctx.input.mode ?? 'merge';
      const configPath = normalizeConfigPath(ctx.input.path);
      validatePropertyKeys(Object.keys(properties));
      // One line per key: a person reads them, secrets masked.
      const shown = maskSecretValues(properties, deps.secretPatterns);
      ctx.logger.info(
        `${
          mode === 'replace' ? 'writing' : 'merging into'
        } configuration /${configPath}:`,
      );
      for (const [key, value] of Object.entries(shown)) {
        ctx.logger.info(`  ${key} = ${value}`);
      }
      const { client, token } = await archonCallFor(deps, ctx);
      const query = ensemble ? { ensemble } : {};
      const response =
        mode === 'replace'
          ? await client.putConfigSet(
              {
                path: { configPath },
                query,
                body: { properties, expectedVersion },
              },
              { token },
            )
          : await client.patchConfigSet(
              {
                path: { configPath },
                query,
                body: { set: properties, expectedVersion },
              },
              { token },
            );
      const written = await expectOk<ConfigWriteResponse>(response);
      ctx.logger.info(
        `configuration /${configPath} is at version ${
          written.version
        }; changed: ${written.changedKeys.join(', ') || 'nothing'}`,
      );
      ctx.output('path', written.path);
      if (written.version !== undefined) ctx.output('version', written.version);
      ctx.output('changedKeys', written.changedKeys);
    },
  });
}
