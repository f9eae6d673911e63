import {
  archonGraphNodeId as id,
  type ArchonGraphContribution,
  type ArchonGraphContributor,
  type ArchonGraphEdge,
  type ArchonGraphNode,
} from '@archon/plugin-archon-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { MarathonEvent } from '../client/types';
import type { MarathonInstances } from '../marathon/MarathonInstances';
import { appGraph } from './appGraph';

/** Events after which the apps (or their tasks and health) look different. */
const CHANGE_EVENTS = new Set([
  'api_post_event',
  'app_terminated_event',
  'deployment_info',
  'deployment_success',
  'deployment_failed',
  'status_update_event',
  'health_status_changed_event',
  'instance_health_changed_event',
  'unhealthy_task_kill_event',
]);

/** Events come in bursts (a deploy sends a dozen); one snapshot per burst is enough. */
const CHANGE_DEBOUNCE_MS = 300;

/**
 * archon-marathon's part of the cross-system graph: every configured Marathon
 * instance, its apps with their declared topics, groups and configuration
 * levels, and the marathon-lb routes their labels ask for. Pushes a change on
 * Marathon's event stream (shared with the deploy followers), so deploys show
 * up within a moment.
 */
export class MarathonGraphContributor implements ArchonGraphContributor {
  readonly id = 'marathon';
  readonly #instances: MarathonInstances;
  readonly #options: { kafkaCluster?: string; catalogNamespace?: string };
  readonly #logger: LoggerService;
  readonly #lastGood = new Map<string, ArchonGraphContribution>();
  /** When each instance's last good part was read. */
  readonly #lastGoodAt = new Map<string, string>();

  constructor(
    instances: MarathonInstances,
    options: { kafkaCluster?: string; catalogNamespace?: string },
    logger: LoggerService,
  ) {
    this.#instances = instances;
    this.#options = options;
    this.#logger = logger;
  }

  async snapshot(options: {
    signal: AbortSignal;
  }): Promise<ArchonGraphContribution> {
    const sampledAt = new Date().toISOString();
    const parts = await Promise.all(
      this.#instances.all().map(async instance => {
        const name = instance.config.name;
        const clusterId = id.cluster('marathon', name);
        try {
          const apps = await instance.client.listApps({
            embed: ['apps.counts', 'apps.deployments'],
          });
          options.signal.throwIfAborted();
          const nodes = new Map<string, ArchonGraphNode>();
          const edges: ArchonGraphEdge[] = [];
          nodes.set(clusterId, {
            id: clusterId,
            kind: 'cluster',
            name,
            system: 'marathon',
            cluster: name,
            attributes: { apps: apps.length },
            status: {
              state: 'healthy',
              summary: `${apps.length} app${apps.length === 1 ? '' : 's'}`,
              sampledAt,
            },
          });
          for (const app of [...apps].sort((a, b) =>
            a.id.localeCompare(b.id),
          )) {
            const part = appGraph(name, app, {
              ...this.#options,
              // The instance's own Kafka cluster wins over the module's default (#20).
              kafkaCluster:
                instance.config.kafkaCluster ?? this.#options.kafkaCluster,
              sampledAt,
            });
            // A route several apps claim is one node with several routes-to edges.
            for (const node of part.nodes)
              if (!nodes.has(node.id)) nodes.set(node.id, node);
            edges.push(...part.edges);
          }
          const part = { nodes: [...nodes.values()], edges };
          this.#lastGood.set(name, part);
          this.#lastGoodAt.set(name, sampledAt);
          return part;
        } catch (error) {
          if (options.signal.aborted) throw error;
          const message = (error as Error).message;
          this.#logger.warn(
            `archon graph: Marathon instance "${name}" unreadable, keeping its last part: ${message}`,
          );
          const last = this.#lastGood.get(name) ?? { nodes: [], edges: [] };
          // The kept nodes say how old they are, so the graph serves them marked stale (#22).
          const asOf = this.#lastGoodAt.get(name);
          return {
            nodes: [
              {
                id: clusterId,
                kind: 'cluster' as const,
                name,
                system: 'marathon',
                cluster: name,
                status: {
                  state: 'failed' as const,
                  summary: `unreachable: ${message}`,
                  sampledAt,
                },
              },
              ...last.nodes
                .filter(n => n.id !== clusterId)
                .map(n => (asOf ? { ...n, asOf } : n)),
            ],
            edges: last.edges,
          };
        }
      }),
    );
    return {
      nodes: parts.flatMap(p => p.nodes),
      edges: parts.flatMap(p => p.edges),
    };
  }

  onChange(changed: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const soon = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        changed();
      }, CHANGE_DEBOUNCE_MS);
      timer.unref();
    };
    const unsubscribes = this.#instances.all().map(instance =>
      instance.events.subscribe(
        (event: MarathonEvent) => {
          if (CHANGE_EVENTS.has(event.eventType)) soon();
        },
        // Marathon promises no delivery: after a (re)connect, read again.
        soon,
      ),
    );
    return () => {
      if (timer) clearTimeout(timer);
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }
}
