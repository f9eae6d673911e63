import {
  archonGraphEndpoint,
  archonGraphNodeId as id,
  type ArchonGraphEdge,
  type ArchonGraphEndpoints,
  type ArchonGraphNode,
  type ArchonGraphNodeStatus,
} from '@archon/plugin-archon-node';
import { appEntityName } from '../catalog/entities';
import { topicReferences } from '../catalog/topics';
import type { MarathonAppInfo } from '../client/types';
import { marathonLbRoutes } from '../gateway/routesFromLabels';
import { ARCHON_LABELS } from '../render/renderApp';
import { appState } from '../marathon/appStatus';

export interface AppGraphOptions {
  /** Kafka cluster of the topics and groups an app names, unless its env says `KAFKA_CLUSTER`. */
  kafkaCluster?: string;
  /** Catalog namespace of the app entities; undefined when archon registers none. */
  catalogNamespace?: string;
  sampledAt: string;
}

/** A consumer group id in the environment: `KAFKA_GROUP_ID`, `GROUP_ID`, `consumer.group.id`, ... */
const GROUP_ID_KEY = /(^|[._-])group[._-]id$/i;

/**
 * One Marathon app's part of the graph: its node, `runs-on` its instance,
 * `configured-by` every level of its configuration path, and what its
 * deployed environment declares — topics it produces to / consumes from
 * (archon's `topicReferences` rule, as the catalog reads it), the consumer
 * group it belongs to — plus the marathon-lb routes its labels ask for.
 */
export function appGraph(
  instance: string,
  app: MarathonAppInfo,
  options: AppGraphOptions,
) {
  const nodes: ArchonGraphNode[] = [];
  const edges: ArchonGraphEdge[] = [];
  const appNodeId = id.app(instance, app.id);
  const labels = app.labels ?? {};
  const configPath = labels[ARCHON_LABELS.configPath];
  const release = labels[ARCHON_LABELS.release];
  const from = configPath
    ? ` (deployed from ${configPath}${release ? `, release ${release}` : ''})`
    : '';
  const endpoints = declaredEndpoints(labels, from);
  nodes.push({
    id: appNodeId,
    kind: 'app',
    name: app.id,
    system: 'marathon',
    cluster: instance,
    ...(options.catalogNamespace
      ? {
          entityRef: `component:${options.catalogNamespace}/${appEntityName(
            instance,
            app.id,
          )}`,
        }
      : {}),
    attributes: {
      instances: app.instances ?? 0,
      cpus: app.cpus,
      mem: app.mem,
      ...(configPath ? { configPath } : {}),
      ...(release ? { release } : {}),
      ...(app.container?.docker?.image
        ? { image: app.container.docker.image }
        : {}),
      managedBy: labels[ARCHON_LABELS.managedBy] ?? null,
      ...(endpoints ? { endpoints } : {}),
    },
    status: appStatus(app, options.sampledAt),
  });
  edges.push({
    from: appNodeId,
    to: id.cluster('marathon', instance),
    kind: 'runs-on',
  });

  if (configPath) {
    const segments = configPath.split('/').filter(Boolean);
    for (let i = 1; i <= segments.length; i++) {
      edges.push({
        from: id.configPath(`/${segments.slice(0, i).join('/')}`),
        to: appNodeId,
        kind: 'configured-by',
      });
    }
  }

  const env = Object.fromEntries(
    Object.entries(app.env ?? {}).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
  const cluster = env.KAFKA_CLUSTER || options.kafkaCluster;
  if (cluster) {
    for (const ref of topicReferences(env)) {
      const declared = [`env ${ref.name}${from}`];
      for (const topic of ref.topics) {
        const topicId = id.topic(cluster, topic);
        edges.push(
          ref.direction === 'input'
            ? {
                from: topicId,
                to: appNodeId,
                kind: 'consumes-from',
                evidence: { declared },
              }
            : {
                from: appNodeId,
                to: topicId,
                kind: 'produces-to',
                evidence: { declared },
              },
        );
      }
    }
    for (const [name, value] of Object.entries(env).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      if (!GROUP_ID_KEY.test(name) || !value.trim()) continue;
      edges.push({
        from: id.group(cluster, value.trim()),
        to: appNodeId,
        kind: 'belongs-to',
        evidence: { declared: [`env ${name}${from}`] },
      });
    }
  }

  for (const route of marathonLbRoutes(instance, app)) {
    // marathon-lb instances serve one HAPROXY_GROUP each: the group (or
    // `any` for none) within the Marathon instance names the gateway.
    const gateway = `${instance}.${route.entry === '*' ? 'any' : route.entry}`;
    const hostAndPath = route.vhost
      ? `${route.vhost}${route.path ?? '/'}`
      : `:${route.port ?? route.servicePort ?? '?'}`;
    const routeId = id.route(gateway, hostAndPath);
    nodes.push({
      id: routeId,
      kind: 'route',
      name: hostAndPath,
      system: 'gateway',
      cluster: instance,
      attributes: {
        source: route.source,
        gateway,
        entry: route.entry,
        ...(route.vhost ? { vhost: route.vhost } : {}),
        ...(route.path ? { path: route.path } : {}),
        ...(route.port !== undefined ? { port: route.port } : {}),
        mode: route.mode,
      },
    });
    edges.push({
      from: routeId,
      to: appNodeId,
      kind: 'routes-to',
      evidence: {
        declared: [
          `labels ${route.rule} (service port ${
            route.servicePort ?? '?'
          }, weight ${route.weight})`,
        ],
      },
    });
  }
  return { nodes, edges };
}

/** The labels `archon.writes.files` & co. deploy as, by direction. */
const ENDPOINT_LABELS = [
  ['writes', ARCHON_LABELS.writesFiles],
  ['writes', ARCHON_LABELS.writesUrls],
  ['reads', ARCHON_LABELS.readsFiles],
  ['reads', ARCHON_LABELS.readsUrls],
] as const;

/**
 * The files and URLs an app declares it writes or reads outside Kafka
 * (`archon.writes.files` & co., deployed as labels), for the graph's
 * endpoint links; undefined when it declares none.
 */
function declaredEndpoints(
  labels: Record<string, string>,
  from: string,
): ArchonGraphEndpoints | undefined {
  const endpoints: ArchonGraphEndpoints = {};
  for (const [direction, label] of ENDPOINT_LABELS) {
    const value = labels[label];
    if (!value) continue;
    for (const endpoint of archonGraphEndpoint.list(value)) {
      (endpoints[direction] ??= []).push({
        endpoint,
        declared: `label ${label}${from}`,
      });
    }
  }
  return endpoints.writes || endpoints.reads ? endpoints : undefined;
}

/** Tasks healthy/running/staged against the wanted instances. */
function appStatus(
  app: MarathonAppInfo,
  sampledAt: string,
): ArchonGraphNodeStatus {
  const instances = app.instances ?? 0;
  const running = app.tasksRunning ?? 0;
  const healthy = app.tasksHealthy ?? 0;
  const staged = app.tasksStaged ?? 0;
  const unhealthy = app.tasksUnhealthy ?? 0;
  const checked = (app.healthChecks ?? []).length > 0;
  const word = appState(app);
  const counted = checked
    ? `${healthy}/${instances} tasks healthy`
    : `${running}/${instances} tasks running`;
  return {
    state: graphState(word, (checked ? healthy : running) > 0),
    // The app's state word leads, so the graph says what apps ls and the portal say.
    summary: [word, counted, staged ? `${staged} staged` : undefined]
      .filter(Boolean)
      .join(', '),
    metrics: {
      instances,
      tasksRunning: running,
      tasksHealthy: healthy,
      tasksStaged: staged,
      tasksUnhealthy: unhealthy,
    },
    sampledAt,
  };
}

/**
 * The app state word in the graph's words: `healthy` and `running` stay
 * apart (an app without health checks is running, not verified healthy); a
 * crash-looping app, or a degraded one with no good task, has failed; the
 * rest is on its way.
 */
function graphState(
  word: ReturnType<typeof appState>,
  someTaskGood: boolean,
): ArchonGraphNodeStatus['state'] {
  switch (word) {
    case 'healthy':
      return 'healthy';
    case 'running':
      return 'running';
    case 'suspended':
      return 'stopped';
    case 'crash-looping':
      return 'failed';
    case 'degraded':
      return someTaskGood ? 'degraded' : 'failed';
    default:
      return 'degraded';
  }
}
