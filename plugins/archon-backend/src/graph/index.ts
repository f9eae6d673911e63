export { GraphService, type GraphContributorState } from './GraphService';
export { GraphIndex, type EdgeRecord } from './GraphIndex';
export { createConfigGraphContributor } from './ConfigGraphContributor';
export {
  renderGraph,
  GRAPH_EXPORT_CONTENT_TYPES,
  type GraphExportFormat,
} from './graphExport';
export type { GraphCollapse } from './graphCollapse';
export type { GraphSliceQuery } from './graphSlice';
export {
  DEFAULT_GRAPH_LIMITS,
  type GraphLimits,
  type LineageDirection,
} from './graphTraversal';
export * from './graphModel';
