import { execFileSync, spawnSync } from 'node:child_process';
import { mockServices } from '@backstage/backend-test-utils';
import {
  FakeGraphContributor,
  declared,
  graphNode,
  shopPipeline,
} from '../__testUtils__/fakeGraphContributor';
import { toDot, toMermaid } from './graphExport';
import { GraphService } from './GraphService';

const hasDot = spawnSync('dot', ['-V']).status === 0;
/** Rendering needs Graphviz (`apt-get install graphviz`); the structural checks below run without it. */
const describeWithDot = hasDot ? describe : describe.skip;

async function shop() {
  const parts = shopPipeline();
  // Names with characters both formats reserve.
  parts.kafka.nodes.push(
    graphNode('topic:k1/we"ird\\name<x>|y', 'topic', {
      name: 'we"ird\\name<x>|y\nz',
    }),
  );
  parts.marathon.edges.push(
    declared(
      'app:local/shop/cart',
      'produces-to',
      'topic:k1/we"ird\\name<x>|y',
    ),
  );
  const service = new GraphService({
    contributors: Object.entries(parts).map(
      ([id, part]) => new FakeGraphContributor(id, part),
    ),
    logger: mockServices.logger.mock(),
  });
  await service.refresh();
  return service;
}

/** Renders DOT with Graphviz; throws with dot's message when the text is not valid DOT. */
function renderSvg(dot: string): string {
  return execFileSync('dot', ['-Tsvg'], {
    input: dot,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

describeWithDot('DOT export rendered by Graphviz', () => {
  it('renders the whole graph, a collapsed one and an impact with Graphviz', async () => {
    const service = await shop();
    const whole = service.graph({});
    const svg = renderSvg(toDot(whole));
    // Every node and edge made it into the drawing.
    expect(svg.match(/class="node"/g)).toHaveLength(whole.nodes.length);
    expect(svg.match(/class="edge"/g)).toHaveLength(whole.edges.length);
    expect(svg).toContain('we&quot;ird\\name&lt;x&gt;|y');
    expect(
      renderSvg(toDot(service.graph({ collapse: 'group' }), 'collapsed')),
    ).toContain('/shop/*');
    const impact = service.impact('topic:k1/orders', {});
    expect(renderSvg(toDot(impact)).match(/class="node"/g)).toHaveLength(
      impact.nodes.length,
    );
  });

  it('is rejected by Graphviz when broken, so the test above can fail', () => {
    expect(() => renderSvg('digraph { "a" -> }')).toThrow();
  });
});

describe('DOT export', () => {
  it('marks drift edges and placeholders', async () => {
    const dot = toDot((await shop()).graph({}));
    expect(dot).toMatch(
      /"app:local\/shop\/cart" -> "topic:k1\/orders" \[label="produces-to \(declared not observed\)", color="#b02a37"/,
    );
    expect(dot).toMatch(
      /"topic:k1\/audit" \[label="audit\\ntopic · k1", shape=cylinder, style="dashed,filled"/,
    );
  });
});

/**
 * A structural parse of the flowchart subset toMermaid writes: a header,
 * `%%` comments, node statements with a known shape and a quoted label free
 * of raw quotes, edges between declared nodes, classDef/class lines.
 */
function parseMermaid(text: string) {
  const lines = text.trimEnd().split('\n');
  if (lines[0] !== 'flowchart LR') throw new Error(`bad header ${lines[0]}`);
  const nodes = new Map<string, string>();
  const edges: Array<{
    from: string;
    to: string;
    label: string;
    dotted: boolean;
  }> = [];
  const label = '"([^"]*)"';
  const shapes = [
    ['\\(', '\\)'],
    ['\\[\\(', '\\)\\]'],
    ['\\[\\[', '\\]\\]'],
    ['\\(\\[', '\\]\\)'],
    ['\\[/', '/\\]'],
    ['>', '\\]'],
    ['\\{\\{', '\\}\\}'],
  ];
  const nodeRes = shapes.map(
    ([o, c]) => new RegExp(`^ {2}(n\\d+)${o}${label}${c}$`),
  );
  for (const line of lines.slice(1)) {
    if (/^ {2}%% /.test(line)) continue;
    const node = nodeRes.map(re => re.exec(line)).find(Boolean);
    if (node) {
      if (nodes.has(node[1])) throw new Error(`node ${node[1]} declared twice`);
      nodes.set(node[1], node[2]);
      continue;
    }
    const edge = /^ {2}(n\d+) (-->|-\.->)\|"([^"]*)"\| (n\d+)$/.exec(line);
    if (edge) {
      for (const id of [edge[1], edge[4]])
        if (!nodes.has(id)) throw new Error(`edge to undeclared ${id}`);
      edges.push({
        from: edge[1],
        to: edge[4],
        label: edge[3],
        dotted: edge[2] === '-.->',
      });
      continue;
    }
    if (
      /^ {2}classDef [a-z]+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6}$/.test(line)
    )
      continue;
    const cls = /^ {2}class ((?:n\d+,)*n\d+) [a-z]+$/.exec(line);
    if (cls && cls[1].split(',').every(id => nodes.has(id))) continue;
    throw new Error(`unparseable line: ${line}`);
  }
  return { nodes, edges };
}

describe('Mermaid export', () => {
  it('writes a flowchart whose every line parses, with one node per graph node', async () => {
    const service = await shop();
    const whole = service.graph({});
    const parsed = parseMermaid(toMermaid(whole));
    expect(parsed.nodes.size).toBe(whole.nodes.length);
    expect(parsed.edges).toHaveLength(whole.edges.length);
    expect([...parsed.nodes.values()]).toContain(
      'we#quot;ird\\name#lt;x#gt;|y<br/>z<br/>topic · k1',
    );
    expect(parsed.edges.filter(e => e.dotted)).toHaveLength(
      whole.edges.filter(e => e.drift).length,
    );
    const lineage = service.lineage('app:local/shop/cart', {
      direction: 'down',
      depth: 2,
    });
    expect(parseMermaid(toMermaid(lineage)).edges).toHaveLength(
      lineage.edges.length,
    );
  });

  it('the parser refuses what Mermaid would choke on, so the test above can fail', () => {
    expect(() => parseMermaid('flowchart LR\n  n0["a"b"]\n')).toThrow(
      /unparseable/,
    );
    expect(() =>
      parseMermaid('flowchart LR\n  n0("a")\n  n0 -->|"x"| n1\n'),
    ).toThrow(/undeclared/);
  });
});
