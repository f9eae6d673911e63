import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  validateTopicName,
  type KafkaTopicDescription,
} from '@archon/plugin-archon-common';
import {
  archonCallFor,
  ArchonApiError,
  expectOk,
  type ArchonActionDeps,
  type ArchonCall,
} from './archonApi';

interface TopicSpec {
  cluster: string;
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

/**
 * `archon:kafka:topic:create`: creates a topic through archon's API. Running
 * the template again is fine: an existing topic with the same partitions,
 * replication factor and configs counts as done; a different one fails.
 */
export function createArchonKafkaTopicCreateAction(deps: ArchonActionDeps) {
  return createTemplateAction({
    id: 'archon:kafka:topic:create',
    description:
      'Creates a Kafka topic through archon, as the user running the template; an identical existing topic is accepted.',
    schema: {
      input: {
        cluster: z =>
          z.string().describe('A Kafka cluster configured in archon'),
        name: z => z.string().describe('Topic name'),
        partitions: z =>
          z.number().int().min(1).optional().describe('Default 1'),
        replicationFactor: z =>
          z.number().int().min(1).optional().describe('Default 1'),
        configs: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe(
              'Topic config overrides, e.g. {"retention.ms": "86400000"}',
            ),
      },
      output: {
        created: z => z.boolean(),
        topic: z => z.string(),
      },
    },
    async handler(ctx) {
      const spec: TopicSpec = {
        cluster: ctx.input.cluster,
        name: ctx.input.name,
        partitions: ctx.input.partitions ?? 1,
        replicationFactor: ctx.input.replicationFactor ?? 1,
        configs: ctx.input.configs ?? {},
      };
      validateTopicName(spec.name);
      const call = await archonCallFor(deps, ctx);
      const response = await call.client.kafkaCreateTopic(
        {
          path: { cluster: spec.cluster },
          body: {
            name: spec.name,
            partitions: spec.partitions,
            replicationFactor: spec.replicationFactor,
            configs: spec.configs,
          },
        },
        { token: call.token },
      );
      let created = true;
      try {
        await expectOk(response);
      } catch (error) {
        if (!(error instanceof ArchonApiError) || error.status !== 409)
          throw error;
        await requireSameTopic(call, spec);
        created = false;
        ctx.logger.info(
          `topic ${spec.name} already exists on ${spec.cluster} as requested`,
        );
      }
      if (created) {
        ctx.logger.info(
          `created topic ${spec.name} on ${spec.cluster} (${
            spec.partitions
          } partition${spec.partitions === 1 ? '' : 's'}, replication ${
            spec.replicationFactor
          })`,
        );
      }
      ctx.output('created', created);
      ctx.output('topic', spec.name);
    },
  });
}

/** Throws a ConflictError listing how the existing topic differs from spec. */
async function requireSameTopic(call: ArchonCall, spec: TopicSpec) {
  const existing = await expectOk<KafkaTopicDescription>(
    await call.client.kafkaGetTopic(
      { path: { cluster: spec.cluster, topic: spec.name } },
      { token: call.token },
    ),
  );
  const differences: string[] = [];
  if (existing.partitions.length !== spec.partitions) {
    differences.push(
      `partitions ${existing.partitions.length} (requested ${spec.partitions})`,
    );
  }
  const replication =
    existing.replicationFactor ?? existing.partitions[0]?.replicas?.length;
  if (replication !== spec.replicationFactor) {
    differences.push(
      `replication factor ${replication} (requested ${spec.replicationFactor})`,
    );
  }
  const actual = new Map(
    existing.configs.map(entry => [entry.name, entry.value]),
  );
  for (const [key, value] of Object.entries(spec.configs)) {
    if (actual.get(key) !== value) {
      differences.push(
        `${key}=${actual.get(key) ?? '(unset)'} (requested ${value})`,
      );
    }
  }
  if (differences.length) {
    throw new ConflictError(
      `topic "${spec.name}" already exists on Kafka cluster "${
        spec.cluster
      }" with different settings: ${differences.join('; ')}`,
    );
  }
}
