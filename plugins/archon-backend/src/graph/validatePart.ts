import type {
  ArchonGraphContribution,
  ArchonGraphEdge,
  ArchonGraphNode,
} from '@archon/plugin-archon-node';
import {
  edgeKey,
  GRAPH_EDGE_KINDS,
  GRAPH_NODE_KINDS,
  kindOfNodeId,
} from './graphModel';
import { mergeEvidence, type Part } from './graphRecords';

const NODE_KINDS = new Set<string>(GRAPH_NODE_KINDS);
const EDGE_KINDS = new Set<string>(GRAPH_EDGE_KINDS);
/** One contributor's part as given, keyed and checked; malformed items are counted and skipped. */
export function validatePart(
  contribution: ArchonGraphContribution,
  sampledAt: string,
) {
  const nodes = new Map<string, ArchonGraphNode>();
  const edges = new Map<string, ArchonGraphEdge>();
  const reasons: string[] = [];
  let rejected = 0;
  const reject = (why: string) => {
    rejected++;
    if (reasons.length < 5) reasons.push(why);
  };
  for (const node of contribution?.nodes ?? []) {
    if (!node || typeof node.id !== 'string' || !NODE_KINDS.has(node.kind)) {
      reject(
        `node ${JSON.stringify(
          node?.id,
        )} has no id or an unknown kind ${JSON.stringify(node?.kind)}`,
      );
    } else if (kindOfNodeId(node.id) !== node.kind) {
      reject(
        `node ${node.id} is of kind ${node.kind} but its id prefix says ${
          kindOfNodeId(node.id) ?? 'nothing known'
        }`,
      );
    } else {
      nodes.set(node.id, node);
    }
  }
  for (const edge of contribution?.edges ?? []) {
    if (!edge || !EDGE_KINDS.has(edge.kind)) {
      reject(
        `edge ${edge?.from} → ${edge?.to} has an unknown kind ${JSON.stringify(
          edge?.kind,
        )}`,
      );
    } else if (
      typeof edge.from !== 'string' ||
      !kindOfNodeId(edge.from) ||
      typeof edge.to !== 'string' ||
      !kindOfNodeId(edge.to)
    ) {
      reject(
        `edge ${edge.from} -${edge.kind}-> ${edge.to} names an id without a known kind prefix`,
      );
    } else if (edge.from === edge.to) {
      reject(`edge ${edge.from} -${edge.kind}-> itself`);
    } else {
      const key = edgeKey(edge.from, edge.kind, edge.to);
      const twice = edges.get(key);
      // The same edge twice in one part counts once, with both evidences;
      // otherwise the edge is kept as given (views merge and de-duplicate).
      edges.set(
        key,
        twice
          ? {
              ...edge,
              evidence: mergeEvidence(twice.evidence, edge.evidence),
            }
          : edge,
      );
    }
  }
  return {
    part: { nodes, edges, sampledAt } satisfies Part,
    rejected,
    reasons,
  };
}
