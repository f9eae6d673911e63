import { NODE_HEIGHT, NODE_WIDTH, layoutGraph } from './graphLayout';
import { FOLD_GAP, foldLayout } from './foldLayout';
import { edge, node } from './testGraph';

// The sample's nine stages, appender to web app, with a branch (the error
// topic) beside the enriched one.
const stages = [
  'app:local/appender',
  'connector:local/file-source',
  'topic:local/raw',
  'app:local/enricher',
  'topic:local/enriched',
  'app:local/aggregator',
  'topic:local/aggregated',
  'connector:local/file-sink',
  'app:local/web',
];
const chain = () => ({
  nodes: [...stages, 'topic:local/errors'].map(id =>
    node(id, id.split(':')[0] as 'app'),
  ),
  edges: [
    ...stages.slice(1).map((to, i) => edge(stages[i], 'produces-to', to)),
    edge('app:local/enricher', 'produces-to', 'topic:local/errors'),
  ],
});
// The Pipelines page's diagram at 1440×900, and the zoom of 11 px labels.
const view = { width: 1166, height: 560 };
const readable = 11 / 13;
const fits = (l: { width: number; height: number }) =>
  Math.min(view.width / l.width, view.height / l.height) >= readable;

describe('foldLayout', () => {
  it('folds a chain too long for the view into rows read left to right', () => {
    const layout = layoutGraph(chain());
    expect(fits(layout)).toBe(false);
    const folded = foldLayout(layout, view, readable);
    expect(fits(folded)).toBe(true);
    const at = stages.map(id => folded.nodes.get(id)!);
    // Two rows, each read left to right: the chain turns back once, and
    // every stage of the second row lies below every stage of the first.
    const turns = at.flatMap((p, i) => (i > 0 && p.x < at[i - 1].x ? [i] : []));
    expect(turns).toHaveLength(1);
    const turnIndex = turns[0];
    expect(turnIndex).toBeGreaterThan(3);
    const firstRow = at.slice(0, turnIndex);
    const secondRow = at.slice(turnIndex);
    expect(Math.min(...secondRow.map(p => p.y))).toBeGreaterThanOrEqual(
      Math.max(...firstRow.map(p => p.y)) + NODE_HEIGHT,
    );
    // Every node inside the folded size; nothing overlaps.
    for (const p of folded.nodes.values()) {
      expect(p.x - NODE_WIDTH / 2).toBeGreaterThanOrEqual(0);
      expect(p.x + NODE_WIDTH / 2).toBeLessThanOrEqual(folded.width);
      expect(p.y + NODE_HEIGHT / 2).toBeLessThanOrEqual(folded.height);
    }
    const boxes = [...folded.nodes.entries()];
    const overlapping = boxes.flatMap(([a, pa], i) =>
      boxes
        .slice(i + 1)
        .filter(
          ([, pb]) =>
            Math.abs(pa.x - pb.x) < NODE_WIDTH &&
            Math.abs(pa.y - pb.y) < NODE_HEIGHT,
        )
        .map(([b]) => `${a} ${b}`),
    );
    expect(overlapping).toEqual([]);
    // The edge into the second row runs through the gap between the rows
    // and ends at its target's left side.
    const key = `${stages[turnIndex - 1]}|produces-to|${stages[turnIndex]}`;
    const route = folded.edges.get(key)!;
    const target = at[turnIndex];
    expect(route[route.length - 1]).toEqual({
      x: target.x - NODE_WIDTH / 2,
      y: target.y,
    });
    // ...through the gap between the rows (below every node of the first).
    const lane = route[2].y;
    const firstBottom = Math.max(
      ...[...folded.nodes.values()]
        .filter(p => p.y < target.y - NODE_HEIGHT)
        .map(p => p.y + NODE_HEIGHT / 2),
    );
    expect(lane).toBeGreaterThan(firstBottom);
    expect(lane).toBeLessThanOrEqual(firstBottom + FOLD_GAP);
    expect(lane).toBeLessThan(
      Math.min(...secondRow.map(p => p.y)) - NODE_HEIGHT / 2,
    );
  });

  it('leaves a layout that fits, or that no folding makes readable, alone', () => {
    const short = layoutGraph({
      nodes: stages.slice(0, 4).map(id => node(id, 'app')),
      edges: stages
        .slice(1, 4)
        .map((to, i) => edge(stages[i], 'produces-to', to)),
    });
    expect(foldLayout(short, view, readable)).toBe(short);
    const layout = layoutGraph(chain());
    const tiny = { width: 200, height: 100 };
    expect(foldLayout(layout, tiny, readable)).toBe(layout);
    // An unmeasured view (no layout engine, e.g. jsdom) folds nothing.
    expect(foldLayout(layout, { width: 0, height: 0 }, readable)).toBe(layout);
  });
});
