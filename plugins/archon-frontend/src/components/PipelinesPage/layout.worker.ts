/// <reference lib="webworker" />
import { layoutGraph } from './graphLayout';
import type { PipelineGraph } from './graphModel';

// Runs dagre off the UI thread: a 500-node layout takes about a second.
self.onmessage = (event: MessageEvent<PipelineGraph>) => {
  self.postMessage(layoutGraph(event.data));
};
