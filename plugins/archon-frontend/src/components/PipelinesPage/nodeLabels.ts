import type { GraphNode } from '@archon/plugin-archon-common';

/** The smallest text size (CSS px, as rendered on screen) the diagram draws. */
export const MIN_LABEL_PX = 11;
/** The name line's font size in diagram units. */
export const NAME_FONT = 13;
/** The kind line's font size in diagram units. */
export const KIND_FONT = 11;
/** How many characters of a name fit a node at {@link NAME_FONT}. */
export const NAME_CHARS = 17;

/**
 * The zoom below which the diagram hides a line of text rather than draw it
 * smaller than {@link MIN_LABEL_PX}: a label too small to read is noise, and
 * the full name is one hover (the node's tooltip) or click (its details) away.
 */
export const readableAt = (fontSize: number) => MIN_LABEL_PX / fontSize;

/**
 * Shortens in the middle: `sample/pipeline/aggregator` keeps its start (where
 * it lives) and its last path segment whole when that fits (what it is),
 * e.g. `sample…/aggregator`; other names keep as much of each end.
 */
export function middleEllipsis(text: string, max: number): string {
  if (text.length <= max) return text;
  const slash = text.lastIndexOf('/');
  const last = slash >= 0 ? text.slice(slash) : '';
  if (last && last.length + 2 <= max) {
    return `${text.slice(0, max - 1 - last.length)}…${last}`;
  }
  const tail = Math.ceil((max - 1) / 2);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/**
 * What a node's box says: an app by its id without the leading slash (the
 * Marathon group is part of its identity), anything else by its name.
 */
export function nodeLabel(node: GraphNode): string {
  const name = node.kind === 'app' ? node.name.replace(/^\//, '') : node.name;
  return middleEllipsis(name, NAME_CHARS);
}

/** How many characters of the kind line fit a node at {@link KIND_FONT}. */
const KIND_CHARS = 22;

/** A node's kind line: `topic`, or `topic · dr` when clusters are shown. */
export function kindLine(node: GraphNode, showCluster?: boolean): string {
  if (!showCluster || !node.cluster) return node.kind;
  const room = KIND_CHARS - node.kind.length - 3;
  return `${node.kind} · ${middleEllipsis(node.cluster, Math.max(room, 4))}`;
}

/** 0.9998500224966255 → "1", 1234 → "1.2k", 3_400_000 → "3.4M". */
export function formatMetric(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${Math.round(value / 1e3)}k`;
  if (abs >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  if (Number.isInteger(value)) return String(value);
  return String(+value.toFixed(abs >= 10 ? 1 : 2));
}

/** A consumer's time lag on its edge: 4_000 → "4 s lag", 180_000 → "3 m lag", 5_400_000 → "1.5 h lag". */
export function formatTimeLag(ms: number): string {
  const s = ms / 1000;
  // Rounded where the unit changes, so 59.7 s reads "1 m", not "60 s".
  if (s < 59.5) return `${Math.round(s)} s lag`;
  if (s < 3570) return `${Math.round(s / 60)} m lag`;
  if (s < 48 * 3600) return `${+(s / 3600).toFixed(1)} h lag`;
  return `${Math.round(s / 86400)} d lag`;
}
