import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { DeployFlow } from '@archon/plugin-archon-common';
import { archonCallFor, expectOk, type ArchonActionDeps } from './archonApi';
import { normalizeConfigPath } from './validation';

/**
 * `archon:deploy`: deploys a configuration path's effective configuration
 * to a deploy target (e.g. a Marathon instance) through archon's API, which
 * records the release and follows the deploy.
 */
export function createArchonDeployAction(deps: ArchonActionDeps) {
  return createTemplateAction({
    id: 'archon:deploy',
    description:
      "Deploys a configuration path through archon, as the user running the template; fails the task with the deploy's error.",
    schema: {
      input: {
        configPath: z => z.string().describe('Configuration path to deploy'),
        target: z =>
          z
            .string()
            .describe('Deploy target, e.g. the Marathon instance "local"'),
        wait: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Wait until the deploy succeeded, failed or timed out (default true)',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .optional()
            .describe('How long archon follows the deploy'),
        ensemble: z => z.string().optional(),
      },
      output: {
        releaseId: z => z.string().optional(),
        appId: z => z.string(),
        deploymentId: z => z.string(),
        status: z => z.string(),
      },
    },
    async handler(ctx) {
      const configPath = `/${normalizeConfigPath(ctx.input.configPath)}`;
      const wait = ctx.input.wait ?? true;
      ctx.logger.info(
        `deploying ${configPath} to ${ctx.input.target}${
          wait ? ' and waiting for the outcome' : ''
        }`,
      );
      const { client, token } = await archonCallFor(deps, ctx);
      const flow = await expectOk<DeployFlow>(
        await client.deploy(
          {
            body: {
              configPath,
              instance: ctx.input.target,
              ensemble: ctx.input.ensemble,
              wait,
              timeoutSeconds: ctx.input.timeoutSeconds,
            },
          },
          { token },
        ),
      );
      // Outputs first: a failed deploy still has a release worth linking to.
      if (flow.releaseId) ctx.output('releaseId', flow.releaseId);
      ctx.output('appId', flow.workloadId);
      ctx.output('deploymentId', flow.id);
      ctx.output('status', flow.status);
      for (const event of flow.progress ?? []) {
        const log = ['warning', 'unreachable'].includes(event.type)
          ? ctx.logger.warn
          : ctx.logger.info;
        log.call(ctx.logger, `${event.type}: ${event.message}`);
      }
      if (flow.status === 'failed' || flow.status === 'timeout') {
        const reason = flow.outcome?.reason ?? 'no reason given';
        throw new Error(
          `deploy ${flow.id} of ${configPath} to ${ctx.input.target} ${
            flow.status === 'timeout' ? 'timed out' : 'failed'
          }: ${reason}`,
        );
      }
      ctx.logger.info(
        `deployed ${configPath} to ${flow.targetKind} ${flow.instance}: ${
          flow.releaseId ? `release ${flow.releaseId}, ` : ''
        }app ${flow.workloadId}${
          flow.status === 'running' ? ' (still rolling out)' : ''
        }`,
      );
    },
  });
}
