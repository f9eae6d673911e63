import fs from 'node:fs';
import {
  makeCliHome,
  runCli,
  startCliTestBackend,
  type CliResult,
  type CliTestBackend,
} from './__testUtils__/cliTestBackend';

jest.setTimeout(180_000);

/**
 * `graph`, `impact`, `lineage` and `path` through the CLI (a subprocess)
 * against a real archon backend on the local cluster. The graph's nodes
 * here are configuration levels written through the CLI itself (the
 * configuration contributor); every output format is checked.
 */
let backend: CliTestBackend;
let home: string;

const cli = (args: string[]) =>
  runCli(args, { home, env: { ARCHON_URL: backend.url } });

function expectExit(r: CliResult, code: number) {
  if (r.code !== code)
    throw new Error(
      `exited ${r.code}, not ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
    );
}

async function json<T = any>(args: string[]): Promise<T> {
  const r = await cli([...args, '-o', 'json']);
  expectExit(r, 0);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  backend = await startCliTestBackend('cli-graph', {
    kafkaGraphRefreshSeconds: 2,
  });
  home = makeCliHome();
  for (const [path, kv] of [
    ['/shop', 'x=1'],
    ['/shop/cart', 'y=2'],
  ]) {
    expectExit(await cli(['config', 'set', path, kv]), 0);
  }
  // The configuration contributor refreshes on ZooKeeper watches, shortly after a write.
  for (let i = 0; i < 80; i++) {
    const graph = await json(['graph', '-q', '/shop']);
    if (graph.nodes.length === 2) return;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error('the configuration levels never reached the graph');
});

afterAll(async () => {
  await backend?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('graph', () => {
  it('lists nodes for humans and as JSON, filtered by kind and text', async () => {
    const r = await cli(['graph', '--kind', 'config-path', '-q', '/shop']);
    expectExit(r, 0);
    expect(r.stdout).toMatch(
      /^2 nodes, 0 edges \(the whole graph: \d+ nodes, \d+ edges\)$/m,
    );
    expect(r.stdout).toMatch(
      /^config:\/shop\s+config-path\s+healthy\s+1 keys, version 0$/m,
    );
    expect(r.stdout).toMatch(
      /^config:\/shop\/cart\s+config-path\s+healthy\s+1 keys, version 0$/m,
    );

    const data = await json(['graph', '--kind', 'config-path', '-q', '/shop']);
    expect(data.nodes.map((n: { id: string }) => n.id).sort()).toEqual([
      'config:/shop',
      'config:/shop/cart',
    ]);
    expect(
      (await json(['graph', '--kind', 'topic', '-q', '/shop'])).nodes,
    ).toEqual([]);
  });

  it('renders the same slice as Graphviz DOT, Mermaid and JSON with --format', async () => {
    const dot = await cli(['graph', '-q', '/shop', '--format', 'dot']);
    expectExit(dot, 0);
    expect(dot.stdout).toMatch(/^digraph "archon" \{/);
    expect(dot.stdout).toContain('"config:/shop/cart" [label=');
    expect(dot.stdout.trimEnd().endsWith('}')).toBe(true);

    const mermaid = await cli(['graph', '-q', '/shop', '--format', 'mermaid']);
    expectExit(mermaid, 0);
    expect(mermaid.stdout).toMatch(/^flowchart LR$/m);
    expect(mermaid.stdout).toMatch(/^ {2}%% n\d = config:\/shop\/cart$/m);

    const asJson = await cli(['graph', '-q', '/shop', '--format', 'json']);
    expectExit(asJson, 0);
    expect(JSON.parse(asJson.stdout).nodes).toHaveLength(2);

    const bad = await cli(['graph', '--format', 'svg']);
    expectExit(bad, 2);
  });

  it('--around gives the neighbourhood of one node', async () => {
    const data = await json([
      'graph',
      '--around',
      'config:/shop/cart',
      '--depth',
      '1',
    ]);
    expect(data.nodes.map((n: { id: string }) => n.id)).toEqual([
      'config:/shop/cart',
    ]);
  });
});

describe('impact, lineage, path', () => {
  it('impact of a level nothing runs from says so; unknown nodes exit 3', async () => {
    const r = await cli(['impact', 'config:/shop/cart']);
    expectExit(r, 0);
    expect(r.stdout).toBe('nothing depends on config:/shop/cart (6 hops)\n');
    expect(
      await json(['impact', 'config:/shop/cart', '--depth', '2']),
    ).toMatchObject({
      root: 'config:/shop/cart',
      depth: 2,
      affected: [],
    });
    const dot = await cli(['impact', 'config:/shop/cart', '--format', 'dot']);
    expect(dot.stdout).toMatch(/^digraph "impact of config:\/shop\/cart" \{/);
    expectExit(await cli(['impact', 'topic:nowhere/none']), 3);
  });

  it('lineage of a node shows the node itself as the root', async () => {
    const r = await cli(['lineage', 'config:/shop', '--direction', 'down']);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^lineage of config:\/shop \(down, 3 hops\)$/m);
    expect(r.stdout).toMatch(
      /^root\s+0\s+config:\/shop\s+config-path\s+healthy$/m,
    );
    const mermaid = await cli([
      'lineage',
      'config:/shop',
      '--format',
      'mermaid',
    ]);
    expect(mermaid.stdout).toMatch(/%% n0 = config:\/shop$/m);
  });

  it('path between two nodes with no data flow says so, in every format', async () => {
    const r = await cli(['path', 'config:/shop', 'config:/shop/cart']);
    expectExit(r, 0);
    expect(r.stdout).toBe(
      'no data-flow path between config:/shop and config:/shop/cart\n',
    );
    expect(
      await json(['path', 'config:/shop', 'config:/shop/cart']),
    ).toMatchObject({
      from: 'config:/shop',
      to: 'config:/shop/cart',
      direction: 'none',
      paths: [],
    });
    const dot = await cli([
      'path',
      'config:/shop',
      'config:/shop/cart',
      '--format',
      'dot',
    ]);
    expect(dot.stdout).toMatch(
      /^digraph "path config:\/shop to config:\/shop\/cart" \{/,
    );
  });
});

describe('graph --from, --direction, -o tree (Kafka: a topic and a group reading it)', () => {
  const topic = () => `${backend.ns.topicPrefix}tree`;
  const group = () => `${backend.ns.groupPrefix}tree-reader`;
  const topicNode = () => `topic:local/${topic()}`;
  const groupNode = () => `group:local/${group()}`;

  beforeAll(async () => {
    expectExit(await cli(['topics', 'create', topic(), '-p', '1']), 0);
    // A reset that names the topic gives a new group committed offsets: the graph's consumes-from edge.
    for (let i = 0; ; i++) {
      const r = await cli([
        'groups',
        'reset',
        group(),
        '--to',
        'earliest',
        '--topic',
        topic(),
        '--yes',
      ]);
      if (r.code === 0) break;
      // The new topic may have no leader yet.
      if (i === 40) expectExit(r, 0);
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    for (let i = 0; i < 80; i++) {
      const r = await cli(['graph', '--from', topicNode(), '-o', 'json']);
      if (
        r.code === 0 &&
        JSON.parse(r.stdout).nodes.some(
          (n: { id: string }) => n.id === groupNode(),
        )
      )
        return;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    throw new Error(`${groupNode()} never reached the graph`);
  });

  afterAll(async () => {
    await cli(['groups', 'delete', group(), '--yes']);
    await cli(['topics', 'delete', topic(), '--yes']);
  });

  it('-o tree grows the graph from --from, one branch per edge, clusters as leaves', async () => {
    const down = await cli([
      'graph',
      '--from',
      topicNode(),
      '--direction',
      'down',
      '--depth',
      '1',
      '-o',
      'tree',
    ]);
    expectExit(down, 0);
    expect(down.stdout.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${topicNode()} {2}\\(topic\\b`)),
      expect.stringMatching(
        /^├─ -runs-on-> cluster:kafka\/local {2}\(cluster\b/,
      ),
      expect.stringMatching(
        new RegExp(
          `^└─ -consumes-from-> ${groupNode()} {2}\\(consumer-group\\b`,
        ),
      ),
      '',
    ]);

    // Both ways, two hops: the group's own edge to the cluster shows once, as a reference.
    const both = await cli([
      'graph',
      '--from',
      topicNode(),
      '--output',
      'tree',
    ]);
    expectExit(both, 0);
    expect(both.stdout).toMatch(
      new RegExp(
        `^└─ -consumes-from-> ${groupNode()} .*\\n {3}└─ -runs-on-> cluster:kafka/local {2}\\(above\\)$`,
        'm',
      ),
    );

    // Up from the group: where its data comes from, drawn into it.
    const up = await cli([
      'graph',
      '--from',
      groupNode(),
      '--direction',
      'up',
      '--format',
      'tree',
    ]);
    expectExit(up, 0);
    expect(up.stdout).toMatch(
      new RegExp(`^└─ <-consumes-from- ${topicNode()} {2}\\(topic\\b`, 'm'),
    );
    expect(up.stdout).not.toContain('cluster:');
  });

  it('--direction narrows the JSON slice too; tree needs --from; dot refuses one direction', async () => {
    const ids = async (...args: string[]) =>
      (
        await json(['graph', '--from', groupNode(), '--depth', '1', ...args])
      ).nodes
        .map((n: { id: string }) => n.id)
        .sort();
    expect(await ids('--direction', 'up')).toEqual(
      [groupNode(), topicNode()].sort(),
    );
    expect(await ids()).toEqual(
      ['cluster:kafka/local', groupNode(), topicNode()].sort(),
    );
    // --around is the former name of --from.
    expect(
      (await json(['graph', '--around', groupNode(), '--depth', '1'])).nodes,
    ).toHaveLength(3);

    const dot = await cli(['graph', '--from', groupNode(), '-o', 'dot']);
    expectExit(dot, 0);
    expect(dot.stdout).toMatch(/^digraph "archon" \{/);
    expectExit(
      await cli([
        'graph',
        '--from',
        groupNode(),
        '--direction',
        'up',
        '-o',
        'dot',
      ]),
      2,
    );
    expectExit(await cli(['graph', '-o', 'tree']), 2);
    // tree, dot and mermaid are graph renderings: other commands refuse them.
    const refused = await cli(['topics', 'ls', '-o', 'tree']);
    expectExit(refused, 2);
    expect(refused.stderr).toMatch(/-o tree is a graph rendering/);
  });
});
