import fs from 'node:fs';
import {
  ArchonApiClient,
  type TypedResponse,
} from '@archon/plugin-archon-common';
import {
  pipelineDefinition,
  type PipelineDefinition,
  type PipelineOptions,
} from './pipeline';
import {
  findMirrorTarget,
  mirrorDefinition,
  type MirrorDefinition,
  type MirrorTarget,
} from './mirror';

export interface SeedOptions {
  /** archon's base URL, e.g. http://localhost:7007 */
  baseUrl: string;
  token?: string;
  /** See {@link PipelineOptions.name}. */
  name: string;
  nodeBinary: string;
  appsDir: string;
  dataDir: string;
  /** One line per step. */
  log?: (line: string) => void;
}

export type StepOutcome = 'created' | 'updated' | 'deployed' | 'unchanged';

export interface SeedResult {
  definition: PipelineDefinition;
  /** The replication to a second environment, when archon knows one. */
  mirror?: MirrorDefinition;
  steps: Array<{ what: string; outcome: StepOutcome }>;
  changed: number;
}

/** An answer archon refused: the status and archon's own message. */
export class SeedError extends Error {}

async function body<T>(
  what: string,
  response: TypedResponse<T>,
  ok: number[] = [200, 201, 202],
): Promise<T> {
  if (ok.includes(response.status)) return (await response.json()) as T;
  const text = await response.text();
  let message = text;
  try {
    message = JSON.parse(text)?.error?.message ?? text;
  } catch {
    // not JSON: keep the text
  }
  throw new SeedError(`${what}: HTTP ${response.status}: ${message}`);
}

/**
 * Defines (or checks) the sample pipeline through archon's REST API only:
 * configuration sets, topics, connectors, then deploys. Each step first
 * reads what is there and changes only what differs, so a second run
 * changes nothing. The systems archon fronts are discovered through it too:
 * the first Kafka cluster, a Connect cluster writing to it, the first
 * Marathon deploy target; and, when archon knows a second environment (a
 * second Kafka cluster with a Connect cluster and a Marathon instance), the
 * sample's mirror there (see {@link mirrorDefinition}); without one the log
 * says why that part is skipped.
 */
export async function seedPipeline(o: SeedOptions): Promise<SeedResult> {
  const log = o.log ?? (() => {});
  const base = o.baseUrl.replace(/\/+$/, '');
  const client = new ArchonApiClient({
    discoveryApi: { getBaseUrl: async pluginId => `${base}/api/${pluginId}` },
    fetchApi: { fetch },
  });
  const auth = o.token ? { token: o.token } : {};
  const steps: SeedResult['steps'] = [];
  const step = (what: string, outcome: StepOutcome) => {
    steps.push({ what, outcome });
    log(`  ${outcome.padEnd(9)} ${what}`);
  };

  const { mirrorTarget, ...systems } = await discover(client, auth);
  const { kafkaCluster, connectCluster, instance } = systems;
  const definition = pipelineDefinition({
    ...systems,
    name: o.name,
    nodeBinary: o.nodeBinary,
    appsDir: o.appsDir,
    dataDir: o.dataDir,
  });
  let mirror: MirrorDefinition | undefined;
  if (typeof mirrorTarget === 'string') {
    log(`  skipped   the mirror to a second environment: ${mirrorTarget}`);
  } else {
    mirror = mirrorDefinition({
      name: o.name,
      source: { kafkaCluster, brokers: systems.brokers },
      target: mirrorTarget,
      dataDir: o.dataDir,
    });
  }

  // The FileStream connectors read and write here (the Connect worker is local).
  fs.mkdirSync(o.dataDir, { recursive: true });
  if (!fs.existsSync(definition.files.input))
    fs.writeFileSync(definition.files.input, '');

  for (const set of [...definition.configSets, ...(mirror?.configSets ?? [])]) {
    const configPath = set.path.slice(1);
    const current = await client.getConfigSet(
      { path: { configPath }, query: {} },
      auth,
    );
    if (current.status === 404) {
      await body(
        `writing ${set.path}`,
        await client.putConfigSet(
          {
            path: { configPath },
            query: {},
            body: { properties: set.properties, expectedVersion: -1 },
          },
          auth,
        ),
      );
      step(`configuration ${set.path}`, 'created');
      continue;
    }
    const existing = await body(`reading ${set.path}`, current);
    if (
      sameEntries(existing.properties as Record<string, string>, set.properties)
    ) {
      step(`configuration ${set.path}`, 'unchanged');
      continue;
    }
    await body(
      `writing ${set.path}`,
      await client.putConfigSet(
        {
          path: { configPath },
          query: {},
          body: {
            properties: set.properties,
            expectedVersion: existing.version,
          },
        },
        auth,
      ),
    );
    step(`configuration ${set.path}`, 'updated');
  }

  // The replica is created here, with the source's partitions, before
  // anything reads it; MirrorMaker then writes into it.
  const topics = [
    ...definition.topics.map(t => ({ ...t, cluster: kafkaCluster })),
    ...(mirror
      ? [
          {
            name: mirror.replica,
            partitions: definition.topics.find(
              t => t.name === `${o.name}.aggregated`,
            )!.partitions,
            cluster: mirror.target.kafkaCluster,
          },
        ]
      : []),
  ];
  await Promise.all(
    topics.map(async t => {
      const { cluster } = t;
      const current = await client.kafkaGetTopic(
        { path: { cluster, topic: t.name } },
        auth,
      );
      const what = `topic ${t.name}${
        cluster === kafkaCluster ? '' : ` on ${cluster}`
      }`;
      if (current.status === 200) return step(what, 'unchanged');
      if (current.status !== 404)
        await body(`reading topic ${t.name}`, current);
      await body(
        `creating topic ${t.name}`,
        await client.kafkaCreateTopic(
          {
            path: { cluster },
            body: {
              name: t.name,
              partitions: t.partitions,
              replicationFactor: 1,
            },
          },
          auth,
        ),
      );
      return step(what, 'created');
    }),
  );

  const connectors = [
    ...definition.connectors.map(c => ({ ...c, cluster: connectCluster })),
    ...(mirror
      ? [{ ...mirror.connector, cluster: mirror.target.connectCluster }]
      : []),
  ];
  await Promise.all(
    connectors.map(async ({ cluster, ...c }) => {
      const current = await client.connectGetConnector(
        { path: { cluster, name: c.name } },
        auth,
      );
      if (current.status === 404) {
        // Connect refuses requests while its workers rebalance (other
        // connectors come and go); archon retries briefly, this a while longer.
        const created = await untilSettled(() =>
          client.connectCreateConnector(
            {
              path: { cluster },
              body: { name: c.name, config: c.config },
            },
            auth,
          ),
        );
        // A create Connect answered with "rebalancing" may still have been
        // applied: the retry then finds the connector, which is what we wanted.
        const appliedEarlier =
          created.status === 409 &&
          /already exists/i.test(await created.clone().text());
        if (!appliedEarlier) {
          await body(`creating connector ${c.name}`, created);
          return step(`connector ${c.name}`, 'created');
        }
      }
      const reread =
        current.status === 404
          ? await client.connectGetConnector(
              { path: { cluster, name: c.name } },
              auth,
            )
          : current;
      const existing = (await body(`reading connector ${c.name}`, reread)) as {
        config: Record<string, string>;
      };
      const { name: _name, ...config } = existing.config;
      if (sameEntries(config, c.config))
        return step(
          `connector ${c.name}`,
          current.status === 404 ? 'created' : 'unchanged',
        );
      await body(
        `updating connector ${c.name}`,
        await untilSettled(() =>
          client.connectUpdateConnectorConfig(
            {
              path: { cluster, name: c.name },
              body: { config: c.config },
            },
            auth,
          ),
        ),
      );
      return step(`connector ${c.name}`, 'updated');
    }),
  );

  const apps = [
    ...definition.apps.map(configPath => ({ configPath, instance })),
    ...(mirror
      ? [{ configPath: mirror.app, instance: mirror.target.instance }]
      : []),
  ];
  await Promise.all(
    apps.map(async ({ configPath, instance: target }) => {
      // A dry run diffs the rendered definition against what runs: nothing
      // to change means the running app already is this configuration.
      const plan = (await body(
        `planning ${configPath}`,
        await client.deploy(
          { body: { configPath, instance: target, dryRun: true } },
          auth,
        ),
      )) as {
        exists: boolean;
        changes: unknown[];
      };
      if (plan.exists && plan.changes.length === 0)
        return step(`app ${configPath}`, 'unchanged');
      const flow = (await body(
        `deploying ${configPath}`,
        await client.deploy(
          { body: { configPath, instance: target, wait: true } },
          auth,
        ),
      )) as {
        status: string;
        outcome?: { message?: string };
      };
      if (flow.status !== 'succeeded') {
        throw new SeedError(
          `deploying ${configPath}: ${flow.status}${
            flow.outcome?.message ? `: ${flow.outcome.message}` : ''
          }`,
        );
      }
      return step(`app ${configPath}`, 'deployed');
    }),
  );

  return {
    definition,
    ...(mirror ? { mirror } : {}),
    steps,
    changed: steps.filter(s => s.outcome !== 'unchanged').length,
  };
}

/** The first Kafka cluster, a Connect cluster writing to it, and the first Marathon target. */
async function discover(
  client: ArchonApiClient,
  auth: { token?: string },
): Promise<
  Pick<
    PipelineOptions,
    'brokers' | 'kafkaCluster' | 'connectCluster' | 'instance'
  > & { mirrorTarget: MirrorTarget | string }
> {
  const kafka = await body(
    'listing Kafka clusters',
    await client.kafkaListClusters({}, auth),
  );
  const connect = (await body(
    'listing Connect clusters',
    await client.connectListClusters({}, auth),
  )) as {
    items: Array<{ name: string; kafkaCluster: string | null }>;
  };
  const targets = await body(
    'listing deploy targets',
    await client.listDeployTargets({}, auth),
  );
  const cluster = kafka.items[0];
  const connectCluster =
    connect.items.find(c => c.kafkaCluster === cluster?.name) ??
    connect.items[0];
  const target = targets.items.find(t => t.kind === 'marathon');
  if (!cluster || !connectCluster || !target) {
    throw new SeedError(
      `the sample pipeline needs a Kafka cluster, a Connect cluster and a Marathon instance; archon has ${
        kafka.items.length
      }, ${connect.items.length} and ${
        targets.items.filter(t => t.kind === 'marathon').length
      }`,
    );
  }
  return {
    brokers: cluster.brokers,
    kafkaCluster: cluster.name,
    connectCluster: connectCluster.name,
    instance: target.name,
    mirrorTarget: findMirrorTarget(
      { kafkaCluster: cluster.name, instance: target.name },
      kafka.items,
      connect.items,
      targets.items.filter(t => t.kind === 'marathon').map(t => t.name),
    ),
  };
}

/** Repeats a request Connect refused because it is rebalancing (409 or 503 saying so), for up to ~20 s. */
async function untilSettled<T>(
  send: () => Promise<TypedResponse<T>>,
): Promise<TypedResponse<T>> {
  for (let attempt = 1; ; attempt++) {
    const response = await send();
    if ((response.status !== 409 && response.status !== 503) || attempt >= 10)
      return response;
    const text = await response.clone().text();
    if (!/rebalanc/i.test(text)) return response;
    await new Promise(r => setTimeout(r, 2000));
  }
}

function sameEntries(
  a: Record<string, string>,
  b: Record<string, string>,
): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(k => Object.hasOwn(b, k) && a[k] === b[k])
  );
}
