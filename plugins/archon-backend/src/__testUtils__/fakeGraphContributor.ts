import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  archonModulesExtensionPoint,
  type ArchonGraphContribution,
  type ArchonGraphContributor,
  type ArchonGraphEdge,
  type ArchonGraphNode,
  type ArchonGraphNodeKind,
} from '@archon/plugin-archon-node';

/**
 * An in-memory graph contributor: its part is whatever the test sets, and
 * `push()` plays a system reporting a change. Not a mock of a real system;
 * contributors are archon's own interface.
 */
export class FakeGraphContributor implements ArchonGraphContributor {
  readonly id: string;
  refreshIntervalMs?: number;
  part: ArchonGraphContribution;
  /** When set, the next snapshots fail with it. */
  failWith?: Error;
  snapshots = 0;
  #listeners = new Set<() => void>();

  constructor(
    id: string,
    part: ArchonGraphContribution = { nodes: [], edges: [] },
    refreshIntervalMs?: number,
  ) {
    this.id = id;
    this.part = part;
    this.refreshIntervalMs = refreshIntervalMs;
  }

  async snapshot(): Promise<ArchonGraphContribution> {
    this.snapshots++;
    if (this.failWith) throw this.failWith;
    return structuredClone(this.part);
  }

  onChange(changed: () => void): () => void {
    this.#listeners.add(changed);
    return () => this.#listeners.delete(changed);
  }

  /** Sets a new part and tells the graph service, as a watch or event stream would. */
  push(part: ArchonGraphContribution): void {
    this.part = part;
    for (const l of this.#listeners) l();
  }
}

/** Registers in-memory contributors through the extension point, as a technology module would. */
export function contributorModule(contributors: FakeGraphContributor[]) {
  return createBackendModule({
    pluginId: 'archon',
    moduleId: 'graph-test',
    register(env) {
      env.registerInit({
        deps: { archon: archonModulesExtensionPoint },
        async init({ archon }) {
          for (const c of contributors) archon.addGraphContributor(c);
        },
      });
    },
  });
}

const SAMPLED = '2026-01-01T00:00:00.000Z';

/** The display name the real contributors give: the path for config levels, `/<app id>` for apps, else the last part. */
function nameOf(
  kind: ArchonGraphNodeKind,
  rest: string,
  slash: number,
): string {
  if (kind === 'config-path' || slash < 0) return rest;
  return kind === 'app' ? rest.slice(slash) : rest.slice(slash + 1);
}

export function graphNode(
  id: string,
  kind: ArchonGraphNodeKind,
  extra: Partial<ArchonGraphNode> = {},
): ArchonGraphNode {
  const rest = id.slice(id.indexOf(':') + 1);
  const slash = kind === 'cluster' ? -1 : rest.indexOf('/');
  return {
    id,
    kind,
    name: nameOf(kind, rest, slash),
    system: {
      app: 'marathon',
      topic: 'kafka',
      connector: 'connect',
      'consumer-group': 'kafka',
      'config-path': 'config',
      route: 'gateway',
      cluster: 'x',
    }[kind],
    ...(kind !== 'config-path' && slash > 0
      ? { cluster: rest.slice(0, slash) }
      : {}),
    status: { state: 'healthy', sampledAt: SAMPLED },
    ...extra,
  };
}

export const declared = (
  from: string,
  kind: ArchonGraphEdge['kind'],
  to: string,
  why = `declared ${kind}`,
): ArchonGraphEdge => ({
  from,
  kind,
  to,
  evidence: { declared: [why] },
});

export const observed = (
  from: string,
  kind: ArchonGraphEdge['kind'],
  to: string,
  what = `observed ${kind}`,
): ArchonGraphEdge => ({
  from,
  kind,
  to,
  evidence: { observed: [what] },
});

export const structural = (
  from: string,
  kind: ArchonGraphEdge['kind'],
  to: string,
): ArchonGraphEdge => ({ from, kind, to });

/**
 * A small shop pipeline split the way the real contributors split it:
 *
 *   cart ─produces→ orders ─consumes→ checkout ─produces→ payments ─consumes→ invoicer
 *                     │ └─observed→ group checkout ─belongs-to→ checkout
 *                     └─sink-reads→ orders-sink        payments-source ─source-writes→ payments
 *
 * with a route to cart, config levels configuring the apps, a declared topic
 * nobody has (audit), and a group (mystery) reading payments unannounced.
 */
export function shopPipeline() {
  const marathon: ArchonGraphContribution = {
    nodes: [
      graphNode('app:local/shop/cart', 'app'),
      graphNode('app:local/shop/checkout', 'app'),
      graphNode('app:local/billing/invoicer', 'app', {
        status: { state: 'failed', summary: '0/1 tasks', sampledAt: SAMPLED },
      }),
      graphNode('cluster:marathon/local', 'cluster'),
      graphNode('route:gw/shop.example.com/cart', 'route'),
    ],
    edges: [
      declared(
        'app:local/shop/cart',
        'produces-to',
        'topic:k1/orders',
        'config kafka.output at /shop/cart',
      ),
      declared(
        'app:local/shop/cart',
        'produces-to',
        'topic:k1/audit',
        'config kafka.audit at /shop/cart',
      ),
      declared(
        'topic:k1/orders',
        'consumes-from',
        'app:local/shop/checkout',
        'config kafka.input at /shop/checkout',
      ),
      declared('app:local/shop/checkout', 'produces-to', 'topic:k1/payments'),
      declared(
        'topic:k1/payments',
        'consumes-from',
        'app:local/billing/invoicer',
      ),
      declared(
        'group:k1/checkout',
        'belongs-to',
        'app:local/shop/checkout',
        'config group.id at /shop/checkout',
      ),
      structural(
        'route:gw/shop.example.com/cart',
        'routes-to',
        'app:local/shop/cart',
      ),
      structural('config:/shop/cart', 'configured-by', 'app:local/shop/cart'),
      structural(
        'config:/shop/checkout',
        'configured-by',
        'app:local/shop/checkout',
      ),
      structural(
        'config:/billing',
        'configured-by',
        'app:local/billing/invoicer',
      ),
      structural('app:local/shop/cart', 'runs-on', 'cluster:marathon/local'),
      structural(
        'app:local/shop/checkout',
        'runs-on',
        'cluster:marathon/local',
      ),
      structural(
        'app:local/billing/invoicer',
        'runs-on',
        'cluster:marathon/local',
      ),
    ],
  };
  const kafka: ArchonGraphContribution = {
    nodes: [
      graphNode('topic:k1/orders', 'topic', { attributes: { partitions: 3 } }),
      graphNode('topic:k1/payments', 'topic'),
      graphNode('group:k1/checkout', 'consumer-group', {
        status: {
          state: 'degraded',
          summary: 'lag 1,204',
          metrics: { lag: 1204 },
          sampledAt: SAMPLED,
        },
      }),
      graphNode('group:k1/mystery', 'consumer-group'),
      graphNode('cluster:kafka/k1', 'cluster'),
    ],
    edges: [
      observed(
        'topic:k1/orders',
        'consumes-from',
        'group:k1/checkout',
        'group checkout committed offsets on 3 partitions',
      ),
      observed('topic:k1/payments', 'consumes-from', 'group:k1/mystery'),
      structural('topic:k1/orders', 'runs-on', 'cluster:kafka/k1'),
      structural('topic:k1/payments', 'runs-on', 'cluster:kafka/k1'),
    ],
  };
  const connect: ArchonGraphContribution = {
    nodes: [
      graphNode('connector:c1/orders-sink', 'connector'),
      graphNode('connector:c1/payments-source', 'connector'),
    ],
    edges: [
      {
        from: 'topic:k1/orders',
        kind: 'sink-reads',
        to: 'connector:c1/orders-sink',
        evidence: {
          declared: ['topics=orders'],
          observed: ['active topics: orders'],
        },
      },
      declared(
        'connector:c1/payments-source',
        'source-writes',
        'topic:k1/payments',
        'topic=payments',
      ),
    ],
  };
  const config: ArchonGraphContribution = {
    nodes: ['/shop', '/shop/cart', '/shop/checkout', '/billing'].map(p =>
      graphNode(`config:${p}`, 'config-path'),
    ),
    edges: [],
  };
  return { marathon, kafka, connect, config };
}
