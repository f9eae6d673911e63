// The benchmark's synthetic graph: 5,000 apps in 50 Marathon groups, their
// topics, groups, connectors, configuration levels and routes, split into
// the parts the real contributors own. Deterministic (a seeded PRNG).
import type {
  ArchonGraphContribution,
  ArchonGraphNode,
} from '@archon/plugin-archon-node';

const TEAMS = 50;
export const APPS_PER_TEAM = 100; // 5,000 apps
const TOPICS_PER_APP = 4; // 20,000 topics
const GROUPS_PER_APP = 2; // 10,000 groups
const SOURCES = 1000;
const SINKS = 1000; // 2,000 connectors
const ROUTES = 1000;
export const QUERIES = 1000;
export const NAIVE_QUERIES = 100;

/** Deterministic, so two runs build the same graph. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
export const random = prng(42);
export const pick = <T>(items: readonly T[]) =>
  items[Math.floor(random() * items.length)];

export const sampledAt = new Date().toISOString();
const node = (
  id: string,
  kind: ArchonGraphNode['kind'],
  name: string,
  system: string,
  cluster?: string,
): ArchonGraphNode => ({
  id,
  kind,
  name,
  system,
  cluster,
  attributes: { bench: true },
  status: {
    state: random() < 0.95 ? 'healthy' : 'degraded',
    summary: 'synthetic',
    sampledAt,
  },
});

const appId = (t: number, a: number) => `app:bench/team-${t}/app-${a}`;
const topicId = (t: number, a: number, k: number) =>
  `topic:kafka-${t % 2}/team-${t}.app-${a}.out-${k}`;
const groupId = (t: number, a: number, g: number) =>
  `group:kafka-${t % 2}/team-${t}.app-${a}.g${g}`;

export function syntheticParts() {
  const marathon: ArchonGraphContribution = {
    nodes: [node('cluster:marathon/bench', 'cluster', 'bench', 'marathon')],
    edges: [],
  };
  const kafka: ArchonGraphContribution = {
    nodes: [0, 1].map(c =>
      node(`cluster:kafka/kafka-${c}`, 'cluster', `kafka-${c}`, 'kafka'),
    ),
    edges: [],
  };
  const connect: ArchonGraphContribution = { nodes: [], edges: [] };
  const config: ArchonGraphContribution = { nodes: [], edges: [] };
  const gateway: ArchonGraphContribution = { nodes: [], edges: [] };
  const m = marathon.edges;
  const k = kafka.edges;
  for (let t = 0; t < TEAMS; t++) {
    config.nodes.push(
      node(`config:/team-${t}`, 'config-path', `/team-${t}`, 'config', 'local'),
    );
    for (let a = 0; a < APPS_PER_TEAM; a++) {
      const app = appId(t, a);
      marathon.nodes.push(
        node(app, 'app', `/team-${t}/app-${a}`, 'marathon', 'bench'),
      );
      m.push({ from: app, kind: 'runs-on', to: 'cluster:marathon/bench' });
      config.nodes.push(
        node(
          `config:/team-${t}/app-${a}`,
          'config-path',
          `/team-${t}/app-${a}`,
          'config',
          'local',
        ),
      );
      m.push({
        from: `config:/team-${t}/app-${a}`,
        kind: 'configured-by',
        to: app,
      });
      for (let o = 0; o < TOPICS_PER_APP; o++) {
        const topic = topicId(t, a, o);
        kafka.nodes.push(
          node(
            topic,
            'topic',
            topic.slice(topic.indexOf('/') + 1),
            'kafka',
            `kafka-${t % 2}`,
          ),
        );
        k.push({
          from: topic,
          kind: 'runs-on',
          to: `cluster:kafka/kafka-${t % 2}`,
        });
        m.push({
          from: app,
          kind: 'produces-to',
          to: topic,
          evidence: {
            declared: [`config kafka.output.${o} at /team-${t}/app-${a}`],
          },
        });
      }
      // Each app reads two topics of the two stages before it (mostly its own team; 5% another team's).
      for (let g = 0; g < GROUPS_PER_APP; g++) {
        const group = groupId(t, a, g);
        kafka.nodes.push(
          node(
            group,
            'consumer-group',
            group.slice(group.indexOf('/') + 1),
            'kafka',
            `kafka-${t % 2}`,
          ),
        );
        m.push({
          from: group,
          kind: 'belongs-to',
          to: app,
          evidence: { declared: [`config group.id at /team-${t}/app-${a}`] },
        });
        if (a === 0) continue;
        const fromTeam = random() < 0.05 ? Math.floor(random() * TEAMS) : t;
        const fromApp = Math.max(0, a - 1 - g);
        const topic = topicId(
          fromTeam,
          fromTeam === t ? fromApp : Math.floor(random() * APPS_PER_TEAM),
          Math.floor(random() * TOPICS_PER_APP),
        );
        // 95% declared; 90% observed: the rest is drift either way.
        if (random() < 0.95)
          m.push({
            from: topic,
            kind: 'consumes-from',
            to: app,
            evidence: { declared: [`config kafka.input.${g}`] },
          });
        if (random() < 0.9)
          k.push({
            from: topic,
            kind: 'consumes-from',
            to: group,
            evidence: { observed: ['committed offsets'] },
          });
      }
    }
  }
  for (let s = 0; s < SOURCES; s++) {
    const id = `connector:connect-1/source-${s}`;
    connect.nodes.push(
      node(id, 'connector', `source-${s}`, 'connect', 'connect-1'),
    );
    connect.edges.push({
      from: id,
      kind: 'source-writes',
      to: topicId(pick([...Array(TEAMS).keys()]), 0, s % TOPICS_PER_APP),
      evidence: { declared: ['topic='], observed: ['active topics'] },
    });
  }
  for (let s = 0; s < SINKS; s++) {
    const id = `connector:connect-1/sink-${s}`;
    connect.nodes.push(
      node(id, 'connector', `sink-${s}`, 'connect', 'connect-1'),
    );
    const t = Math.floor(random() * TEAMS);
    connect.edges.push({
      from: topicId(
        t,
        Math.floor(random() * APPS_PER_TEAM),
        s % TOPICS_PER_APP,
      ),
      kind: 'sink-reads',
      to: id,
      evidence: { declared: ['topics='], observed: ['active topics'] },
    });
  }
  for (let r = 0; r < ROUTES; r++) {
    const id = `route:gw/team-${r % TEAMS}.example.com/r${r}`;
    gateway.nodes.push(
      node(id, 'route', `team-${r % TEAMS}.example.com/r${r}`, 'gateway', 'gw'),
    );
    gateway.edges.push({
      from: id,
      kind: 'routes-to',
      to: appId(r % TEAMS, Math.floor(r / TEAMS)),
    });
  }
  return { marathon, kafka, connect, config, gateway };
}
