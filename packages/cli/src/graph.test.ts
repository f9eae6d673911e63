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
  backend = await startCliTestBackend('cli-graph');
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
