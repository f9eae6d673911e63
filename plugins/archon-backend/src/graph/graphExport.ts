import type { ArchonGraphNodeKind } from '@archon/plugin-archon-node';
import type { GraphEdgeView, GraphNodeView, GraphView } from './graphModel';

export type GraphExportFormat = 'json' | 'dot' | 'mermaid';

/** The Content-Type of each text export. */
export const GRAPH_EXPORT_CONTENT_TYPES: Record<
  Exclude<GraphExportFormat, 'json'>,
  string
> = {
  dot: 'text/vnd.graphviz; charset=utf-8',
  mermaid: 'text/vnd.mermaid; charset=utf-8',
};

const DOT_SHAPES: Record<ArchonGraphNodeKind, string> = {
  app: 'box',
  topic: 'cylinder',
  connector: 'component',
  'consumer-group': 'ellipse',
  'config-path': 'folder',
  route: 'cds',
  cluster: 'box3d',
};

const STATE_FILL: Record<string, string> = {
  healthy: '#d1e7dd',
  running: '#e9f5ee',
  degraded: '#fff3cd',
  failed: '#f8d7da',
  stopped: '#e2e3e5',
  unknown: '#ffffff',
};

/** A DOT string literal: quotes and backslashes escaped, line breaks as `\n`. */
function dotString(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r?\n/g, '\\n')}"`;
}

function nodeLabel(node: GraphNodeView): string {
  const where = node.cluster ? ` · ${node.cluster}` : '';
  const members = node.attributes?.collapsed
    ? ` · ${node.attributes.members} members`
    : '';
  return `${node.name}\n${node.kind}${where}${members}`;
}

function edgeLabel(edge: GraphEdgeView): string {
  const count = edge.members && edge.members > 1 ? ` ×${edge.members}` : '';
  const drift = edge.drift ? ` (${edge.drift.replace(/-/g, ' ')})` : '';
  return `${edge.kind}${count}${drift}`;
}

/** Graphviz DOT: `dot -Tsvg` renders it. Node ids are the graph's ids, quoted. */
export function toDot(view: GraphView, title = 'archon'): string {
  const lines = [
    `digraph ${dotString(title)} {`,
    '  rankdir=LR;',
    '  node [style="rounded,filled", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const node of view.nodes) {
    const state = node.status?.state ?? 'unknown';
    let style = node.kind === 'app' ? 'rounded,filled' : 'filled';
    if (node.attributes?.placeholder) style = 'dashed,filled';
    lines.push(
      `  ${dotString(node.id)} [label=${dotString(nodeLabel(node))}, shape=${
        DOT_SHAPES[node.kind]
      }, style=${dotString(style)}, fillcolor=${dotString(
        STATE_FILL[state] ?? '#ffffff',
      )}, tooltip=${dotString(node.status?.summary ?? state)}];`,
    );
  }
  for (const edge of view.edges) {
    const attrs = [`label=${dotString(edgeLabel(edge))}`];
    if (edge.drift)
      attrs.push('color="#b02a37"', 'fontcolor="#b02a37"', 'style=dashed');
    else if (edge.kind === 'runs-on' || edge.kind === 'configured-by')
      attrs.push('color="#888888"', 'style=dotted');
    lines.push(
      `  ${dotString(edge.from)} -> ${dotString(edge.to)} [${attrs.join(
        ', ',
      )}];`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid label text: its own entity escapes for characters the grammar reserves. */
function mermaidText(text: string): string {
  return text
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\r?\n/g, '<br/>');
}

const MERMAID_SHAPES: Record<ArchonGraphNodeKind, [string, string]> = {
  app: ['(', ')'],
  topic: ['[(', ')]'],
  connector: ['[[', ']]'],
  'consumer-group': ['([', '])'],
  'config-path': ['[/', '/]'],
  route: ['>', ']'],
  cluster: ['{{', '}}'],
};

/**
 * A Mermaid flowchart. Mermaid ids cannot hold `:` or `/`, so nodes are
 * `n0`, `n1`, ... with a `%%` comment naming each one's graph id.
 */
export function toMermaid(view: GraphView): string {
  const lines = ['flowchart LR'];
  const ids = new Map<string, string>();
  const byState = new Map<string, string[]>();
  view.nodes.forEach((node, i) => {
    const id = `n${i}`;
    ids.set(node.id, id);
    const [open, close] = MERMAID_SHAPES[node.kind];
    lines.push(`  %% ${id} = ${node.id.replace(/[\r\n]/g, ' ')}`);
    lines.push(`  ${id}${open}"${mermaidText(nodeLabel(node))}"${close}`);
    const state = node.status?.state ?? 'unknown';
    byState.set(state, [...(byState.get(state) ?? []), id]);
  });
  for (const edge of view.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (!from || !to) continue;
    const arrow = edge.drift ? '-.->' : '-->';
    lines.push(`  ${from} ${arrow}|"${mermaidText(edgeLabel(edge))}"| ${to}`);
  }
  for (const [state, members] of byState) {
    lines.push(
      `  classDef ${state} fill:${
        STATE_FILL[state] ?? '#ffffff'
      },stroke:#555555`,
    );
    lines.push(`  class ${members.join(',')} ${state}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderGraph(
  view: GraphView,
  format: Exclude<GraphExportFormat, 'json'>,
  title?: string,
): string {
  return format === 'dot' ? toDot(view, title) : toMermaid(view);
}
