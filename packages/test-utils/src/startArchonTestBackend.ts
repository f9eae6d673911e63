import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import {
  getTestCluster,
  testNamespace,
  type LocalClusterInfo,
  type TestNamespace,
} from '@archon/local-cluster/testing';
import type { LocalMarathon } from '@archon/local-marathon';
import { mergeConfig } from './mergeConfig';
import {
  startPrivateMarathon,
  type PrivateMarathon,
  type PrivateMarathonOptions,
} from './privateMarathon';

export interface ArchonTestBackendOptions {
  /**
   * The core plugin and the modules the suite runs (and any service it
   * overrides). The suite passes them, so this package depends on no archon
   * plugin and the plugins' own suites use it without a package cycle.
   */
  features: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
  /** Names the suite's private ZooKeeper root and topic/group prefixes (see testNamespace). */
  label?: string;
  /** The cluster to run against: the shared local cluster by default, or a private one's `info`. */
  cluster?: LocalClusterInfo;
  /**
   * archon's one ZooKeeper ensemble, `local`: the cluster's, with the root
   * `<namespace>/pheidippides` unless given (a replica passes the first one's);
   * `false` for none (a module's suite that never touches configuration).
   */
  zookeeper?: { connectionString?: string; root?: string } | false;
  /** The cluster's Kafka as `local` with the sampler off; an object is merged into `archon.kafka`. */
  kafka?: true | JsonObject;
  /** The cluster's Kafka Connect as `local` (on the Kafka cluster `local`). */
  connect?: boolean;
  /**
   * archon's Marathon instance `local`: options start a private local
   * Marathon for this backend (stopped with it), a running one is shared (a
   * replica's; not stopped), or just a URL.
   */
  marathon?:
    | PrivateMarathonOptions
    | LocalMarathon
    | { url: string; mesosAgentUrl?: string };
  /** More Marathon instances after `local` (e.g. one that is down). */
  extraMarathonInstances?: JsonObject[];
  /**
   * Also configure the cluster's second environment, `dr` (`cluster.dr`),
   * beside `local` in every section this backend has: the ensemble `dr` (dr's
   * ZooKeeper, under the same private root), the Kafka cluster `dr`, the
   * Connect cluster `dr` (on Kafka `dr`), and, when `marathon` starts a
   * private server, a second private server as instance `dr`.
   * Off by default: most suites test one system of a kind, and every
   * configured system is probed, sampled and read into the catalog and the
   * graph, which would slow them down and widen what they depend on for no
   * gain; the suites about several clusters turn it on.
   */
  secondEnvironment?: boolean;
  /** Merged into `archon` after what the options above wrote. */
  archon?: JsonObject;
  /** Merged into the whole configuration last (`backend`, `auth`, `permission`, ...). */
  config?: JsonObject;
  /**
   * The permission policy: a request is denied when this returns true (by
   * permission name and the asking user's entity ref), allowed otherwise.
   * Without it Backstage's mock permissions allow everything.
   */
  deny?: (request: { permission: string; user?: string }) => boolean;
  /** Extension points stood in for (as startTestBackend takes them). */
  extensionPoints?: Parameters<typeof startTestBackend>[0]['extensionPoints'];
}

export interface ArchonTestBackend {
  server: http.Server;
  /** http://127.0.0.1:<port> */
  url: string;
  cluster: LocalClusterInfo;
  /** The suite's private names (topic and group prefixes, ZooKeeper root). */
  ns: TestNamespace;
  /** archon's ZooKeeper root (the ensemble `local`'s). */
  zkRoot: string;
  /** The Marathon the backend deploys to, when it has one of its own or shares one. */
  marathon?: LocalMarathon;
  /** With `secondEnvironment` and a private `marathon`: instance `dr`'s own server. */
  drMarathon?: LocalMarathon;
  /** Stops the backend, then the private Marathon it started. */
  stop(): Promise<void>;
}

function isLocalMarathon(
  marathon: NonNullable<ArchonTestBackendOptions['marathon']>,
): marathon is LocalMarathon {
  return typeof (marathon as LocalMarathon).close === 'function';
}

/**
 * archon in Backstage's test backend on a real port, as every suite starts
 * it: the features the suite passes, archon's configuration pointing at the
 * local cluster (ZooKeeper under a private root, Kafka, Connect) and a
 * Marathon, and a permission policy. Nothing is mocked but what Backstage's
 * test backend mocks (the database is SQLite in memory unless configured,
 * the logger) and what the suite overrides itself.
 */
export async function startArchonTestBackend(
  options: ArchonTestBackendOptions,
): Promise<ArchonTestBackend> {
  // Read only when a default needs it: a script with a cluster of its own
  // (scripts/fuzz) names every connection and needs no shared cluster.
  const cluster = () => options.cluster ?? getTestCluster();
  const dr = () => {
    const second = cluster().dr;
    if (!second) {
      throw new Error(
        'secondEnvironment: the cluster has no second environment (dr); the local cluster starts it with `start` (zookeeper-dr, kafka-dr, connect-dr, marathon-dr)',
      );
    }
    return second;
  };
  const withDr = options.secondEnvironment === true;
  const ns = testNamespace(options.label ?? 'backend');
  const zookeeper = options.zookeeper === false ? undefined : options.zookeeper;
  const zkRoot = zookeeper?.root ?? `${ns.zkRoot}/pheidippides`;
  let owned: PrivateMarathon | undefined;
  let ownedDr: PrivateMarathon | undefined;
  let marathon: LocalMarathon | undefined;
  let marathonUrl: { url: string; mesosAgentUrl?: string } | undefined;
  if (options.marathon && isLocalMarathon(options.marathon)) {
    marathon = options.marathon;
    marathonUrl = { url: marathon.url, mesosAgentUrl: marathon.url };
  } else if (options.marathon && 'url' in options.marathon) {
    marathonUrl = options.marathon;
  } else if (options.marathon) {
    owned = await startPrivateMarathon(options.marathon);
    marathon = owned.marathon;
    marathonUrl = { url: marathon.url, mesosAgentUrl: marathon.url };
    if (withDr) {
      ownedDr = await startPrivateMarathon(options.marathon).catch(
        async error => {
          await owned?.close();
          throw error;
        },
      );
    }
  }
  const closeMarathons = async () => {
    await owned?.close();
    await ownedDr?.close();
  };

  const archon: JsonObject = {};
  if (options.zookeeper !== false) {
    archon.zookeeper = {
      ensembles: [
        {
          name: 'local',
          connectionString:
            zookeeper?.connectionString ?? cluster().zookeeper.connectionString,
          root: zkRoot,
          sessionTimeoutMs: 6000,
        },
        ...(withDr
          ? [
              {
                name: 'dr',
                connectionString: dr().zookeeper.connectionString,
                root: zkRoot,
                sessionTimeoutMs: 6000,
              },
            ]
          : []),
      ],
    };
  }
  if (options.kafka) {
    archon.kafka = mergeConfig(
      {
        clusters: [
          { name: 'local', brokers: cluster().kafka.brokers },
          ...(withDr ? [{ name: 'dr', brokers: dr().kafka.brokers }] : []),
        ],
        sampler: { enabled: false },
      },
      options.kafka === true ? undefined : options.kafka,
    );
  }
  if (options.connect) {
    archon.kafkaConnect = {
      clusters: [
        { name: 'local', url: cluster().connect.url, kafkaCluster: 'local' },
        ...(withDr
          ? [{ name: 'dr', url: dr().connect.url, kafkaCluster: 'dr' }]
          : []),
      ],
    };
  }
  if (marathonUrl || ownedDr || options.extraMarathonInstances) {
    archon.marathon = {
      instances: [
        ...(marathonUrl ? [{ name: 'local', ...marathonUrl }] : []),
        ...(ownedDr
          ? [
              {
                name: 'dr',
                url: ownedDr.marathon.url,
                mesosAgentUrl: ownedDr.marathon.url,
                // As app-config.yaml: the topics its apps name are dr's.
                kafkaCluster: 'dr',
              },
            ]
          : []),
        ...(options.extraMarathonInstances ?? []),
      ],
    };
  }
  const config = mergeConfig(
    { archon: mergeConfig(archon, options.archon) },
    options.config,
  );

  const deny = options.deny;
  const decide = async (
    requests: Array<{ permission: { name: string } }>,
    decideOptions?: { credentials?: any },
  ) =>
    requests.map(r => ({
      result: deny?.({
        permission: r.permission.name,
        user: decideOptions?.credentials?.principal?.userEntityRef,
      })
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    })) as any;

  try {
    const backend = await startTestBackend({
      ...(options.extensionPoints && {
        extensionPoints: options.extensionPoints,
      }),
      features: [
        ...options.features,
        ...(deny
          ? [
              mockServices.permissions.mock({
                authorize: decide,
                authorizeConditional: decide,
              }).factory,
            ]
          : []),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    const server = backend.server as unknown as http.Server;
    const { port } = server.address() as AddressInfo;
    return {
      server,
      url: `http://127.0.0.1:${port}`,
      get cluster() {
        return cluster();
      },
      ns,
      zkRoot,
      marathon,
      drMarathon: ownedDr?.marathon,
      async stop() {
        await backend.stop();
        await closeMarathons();
      },
    };
  } catch (error) {
    await closeMarathons();
    throw error;
  }
}
