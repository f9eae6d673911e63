import { NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  validateTopicName,
  type KafkaClusterOverview,
  type KafkaConfigEntry,
  type KafkaTopicDescription,
} from '@archon/plugin-archon-common';
import {
  archonCallFor,
  ArchonApiError,
  expectOk,
  type ArchonActionDeps,
  type ArchonCall,
} from './archonApi';

/**
 * `archon:kafka:topics:require`: makes sure the topics an app reads exist
 * before anything else is written. Missing ones are created with the
 * cluster's defaults (its brokers' num.partitions and
 * default.replication.factor) or, with createMissing false, the run stops
 * naming them. Everything goes through archon's API as the template's user,
 * so the topic create route's permission check and audit apply.
 */
export function createArchonKafkaInputTopicsAction(deps: ArchonActionDeps) {
  return createTemplateAction({
    id: 'archon:kafka:topics:require',
    description:
      "Checks that topics exist on a Kafka cluster; creates the missing ones with the cluster's defaults, or fails naming them.",
    schema: {
      input: {
        cluster: z =>
          z.string().describe('A Kafka cluster configured in archon'),
        topics: z => z.array(z.string()).min(1).describe('Topic names'),
        createMissing: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Create topics that do not exist (default true); false fails the run naming them',
            ),
      },
      output: {
        created: z => z.array(z.string()),
        existing: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const { cluster } = ctx.input;
      const createMissing = ctx.input.createMissing ?? true;
      const topics = [...new Set(ctx.input.topics)];
      // All names first: a bad one must not leave the others half-created.
      topics.forEach(name => validateTopicName(name));
      const call = await archonCallFor(deps, ctx);

      const existing: string[] = [];
      const missing: string[] = [];
      for (const name of topics) {
        const topic = await describeTopic(call, cluster, name);
        if (topic) {
          existing.push(name);
          ctx.logger.info(
            `topic ${name} exists (${plural(
              topic.partitions.length,
              'partition',
            )})`,
          );
        } else {
          missing.push(name);
        }
      }
      if (missing.length && !createMissing) {
        throw new NotFoundError(
          `input ${missing.length === 1 ? 'topic' : 'topics'} ${missing.join(
            ', ',
          )} ${
            missing.length === 1 ? 'does' : 'do'
          } not exist on Kafka cluster "${cluster}" (createMissingInputTopics is off: create ${
            missing.length === 1 ? 'it' : 'them'
          } first or turn it on)`,
        );
      }

      const created: string[] = [];
      if (missing.length) {
        const defaults = await clusterDefaults(call, cluster);
        for (const name of missing) {
          const response = await call.client.kafkaCreateTopic(
            { path: { cluster }, body: { name, ...defaults } },
            { token: call.token },
          );
          try {
            await expectOk(response);
            created.push(name);
            ctx.logger.info(
              `created topic ${name} on ${cluster} (${plural(
                defaults.partitions,
                'partition',
              )}, replication ${defaults.replicationFactor})`,
            );
          } catch (error) {
            // Created by someone else since the check: it exists, as asked.
            if (!(error instanceof ArchonApiError) || error.status !== 409)
              throw error;
            existing.push(name);
            ctx.logger.info(`topic ${name} exists (created meanwhile)`);
          }
        }
      }
      ctx.output('created', created);
      ctx.output('existing', existing);
    },
  });
}

async function describeTopic(
  call: ArchonCall,
  cluster: string,
  name: string,
): Promise<KafkaTopicDescription | undefined> {
  const response = await call.client.kafkaGetTopic(
    { path: { cluster, topic: name } },
    { token: call.token },
  );
  if (response.status === 404) {
    // An unknown cluster is a 404 too: only "topic … does not exist" means missing.
    const error = await expectOk(response).then(
      () => undefined,
      (failure: ArchonApiError) => failure,
    );
    if (error?.apiMessage.startsWith(`topic "${name}" does not exist`))
      return undefined;
    throw error;
  }
  return expectOk<KafkaTopicDescription>(response);
}

/** What Kafka itself would use for a topic created without settings. */
async function clusterDefaults(
  call: ArchonCall,
  cluster: string,
): Promise<{ partitions: number; replicationFactor: number }> {
  const overview = await expectOk<KafkaClusterOverview>(
    await call.client.kafkaGetCluster(
      { path: { cluster } },
      { token: call.token },
    ),
  );
  const broker = overview.controller ?? overview.brokers[0]?.id;
  if (broker === undefined || broker < 0) {
    throw new Error(`Kafka cluster "${cluster}" reports no brokers`);
  }
  const { items } = await expectOk<{ items: KafkaConfigEntry[] }>(
    await call.client.kafkaGetBrokerConfigs(
      { path: { cluster, broker } },
      { token: call.token },
    ),
  );
  const value = (name: string) => {
    const number = Number(items.find(entry => entry.name === name)?.value);
    return Number.isInteger(number) && number > 0 ? number : 1;
  };
  return {
    partitions: value('num.partitions'),
    // A default above the broker count could never be created.
    replicationFactor: Math.min(
      value('default.replication.factor'),
      Math.max(overview.brokers.length, 1),
    ),
  };
}

function plural(count: number, word: string) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
