import type { PipelineGraph } from './graphModel';
import {
  cachedLayout,
  recentLayout,
  rememberLayout,
  type Layout,
} from './graphLayout';

/** Below this many nodes dagre takes a few milliseconds; a worker costs more. */
const WORKER_THRESHOLD = 120;

function startWorker(): Worker | undefined {
  try {
    return new Worker(new URL('./layout.worker.ts', import.meta.url));
  } catch {
    return undefined; // No workers (tests, old browsers): lay out in place.
  }
}

/**
 * The layout of a graph without blocking the UI thread when it is big: in a
 * web worker when one can be started, otherwise (and for small graphs) in
 * place on the next tick, cached by topology either way.
 */
export function layoutAsync(
  graph: PipelineGraph,
  key: string,
): Promise<Layout> {
  const recent = recentLayout(key);
  if (recent) return Promise.resolve(recent);
  const worker =
    graph.nodes.length >= WORKER_THRESHOLD && typeof Worker !== 'undefined'
      ? startWorker()
      : undefined;
  if (!worker) {
    return new Promise(resolve =>
      setTimeout(() => resolve(cachedLayout(graph, key)), 0),
    );
  }
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<Layout>) => {
      worker.terminate();
      rememberLayout(key, event.data);
      resolve(event.data);
    };
    worker.onerror = event => {
      worker.terminate();
      reject(new Error(event.message));
    };
    worker.postMessage({ nodes: graph.nodes, edges: graph.edges });
  });
}
