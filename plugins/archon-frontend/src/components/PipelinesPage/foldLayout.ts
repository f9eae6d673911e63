import {
  NODE_HEIGHT,
  NODE_WIDTH,
  type Layout,
  type Point,
} from './graphLayout';

/** Diagram units between two rows of a folded layout (room for the turn). */
export const FOLD_GAP = 48;
/** More rows than this reads worse than panning along one. */
const MAX_ROWS = 4;

/** How large a layout of this size shows in the view (never above 1). */
const fitScale = (
  content: { width: number; height: number },
  view: { width: number; height: number },
) => Math.min(view.width / content.width, view.height / content.height, 1);

/**
 * Folds a long left-to-right layout into rows, as a person draws a long
 * chain on paper: the first stages on the top row, the next ones below,
 * each row read left to right. It is folded only when the whole layout,
 * fitted to the view, would draw its labels smaller than `minScale` allows,
 * and only into as many rows as make it readable (none when no number of
 * rows up to {@link MAX_ROWS} does: a big graph is panned instead).
 * Columns (dagre's ranks) are never split, so a row holds whole stages;
 * an edge into a later row turns down through the gap below its row.
 */
export function foldLayout(
  layout: Layout,
  view: { width: number; height: number },
  minScale: number,
): Layout {
  if (!layout.width || !view.width || !view.height) return layout;
  if (fitScale(layout, view) >= minScale) return layout;
  const columns = [...new Set([...layout.nodes.values()].map(p => p.x))].sort(
    (a, b) => a - b,
  );
  for (let rows = 2; rows <= Math.min(MAX_ROWS, columns.length); rows++) {
    const folded = foldInto(layout, columns, rows);
    if (fitScale(folded, view) >= minScale) return folded;
  }
  return layout;
}

function foldInto(layout: Layout, columns: number[], rows: number): Layout {
  const perRow = Math.ceil(columns.length / rows);
  const rowOfX = new Map(columns.map((x, i) => [x, Math.floor(i / perRow)]));
  const rowOf = (id: string) => rowOfX.get(layout.nodes.get(id)!.x)!;
  const margin = columns[0] - NODE_WIDTH / 2;
  // Each row moves left so that its first column sits where the first
  // column of the whole layout is.
  const shiftX = Array.from(
    { length: rows },
    (_, r) => columns[Math.min(r * perRow, columns.length - 1)] - columns[0],
  );

  // The vertical extent of each row: its nodes and the edges inside it.
  const top = Array<number>(rows).fill(Infinity);
  const bottom = Array<number>(rows).fill(-Infinity);
  const extend = (row: number, y1: number, y2: number) => {
    top[row] = Math.min(top[row], y1);
    bottom[row] = Math.max(bottom[row], y2);
  };
  for (const p of layout.nodes.values())
    extend(rowOfX.get(p.x)!, p.y - NODE_HEIGHT / 2, p.y + NODE_HEIGHT / 2);
  const edgeEnds = new Map<string, [string, string]>();
  for (const key of layout.edges.keys()) {
    const [from, , to] = key.split('|');
    if (layout.nodes.has(from) && layout.nodes.has(to))
      edgeEnds.set(key, [from, to]);
  }
  for (const [key, points] of layout.edges) {
    const ends = edgeEnds.get(key);
    if (!ends || rowOf(ends[0]) !== rowOf(ends[1])) continue;
    for (const p of points) extend(rowOf(ends[0]), p.y, p.y);
  }
  // Rows stacked top to bottom, FOLD_GAP apart (an empty row takes no room).
  const shiftY: number[] = [];
  let cursor = top[0];
  for (let r = 0; r < rows; r++) {
    if (top[r] === Infinity) {
      shiftY.push(0);
      continue;
    }
    shiftY.push(cursor - top[r]);
    cursor += bottom[r] - top[r] + FOLD_GAP;
  }
  const move = (p: Point, row: number): Point => ({
    x: p.x - shiftX[row],
    y: p.y + shiftY[row],
  });

  const nodes = new Map<string, Point>();
  for (const [id, p] of layout.nodes) nodes.set(id, move(p, rowOfX.get(p.x)!));
  const edges = new Map<string, Point[]>();
  const turn = (NODE_WIDTH / 2) * 0.2;
  for (const [key, points] of layout.edges) {
    const ends = edgeEnds.get(key);
    if (!ends) {
      edges.set(key, points);
      continue;
    }
    const [fromRow, toRow] = ends.map(rowOf);
    if (fromRow === toRow) {
      edges.set(
        key,
        points.map(p => move(p, fromRow)),
      );
      continue;
    }
    // Out of the source's right side, down into the gap below the upper
    // row, along it, and down into the target's left side.
    const s = nodes.get(ends[0])!;
    const t = nodes.get(ends[1])!;
    const upper = Math.min(fromRow, toRow);
    const lane = bottom[upper] + shiftY[upper] + FOLD_GAP / 2;
    const out = s.x + NODE_WIDTH / 2;
    const into = t.x - NODE_WIDTH / 2;
    edges.set(key, [
      { x: out, y: s.y },
      { x: out + turn, y: s.y },
      { x: out + turn, y: lane },
      { x: into - turn, y: lane },
      { x: into - turn, y: t.y },
      { x: into, y: t.y },
    ]);
  }
  let width = 0;
  for (const p of nodes.values()) width = Math.max(width, p.x + NODE_WIDTH / 2);
  return {
    nodes,
    edges,
    width: width + margin,
    height: cursor - FOLD_GAP + margin,
  };
}
