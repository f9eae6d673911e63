export { PipelinesPage } from './PipelinesPage';
export { EntityPipelineContent } from './EntityPipelineContent';
export { PipelineDiagram } from './PipelineDiagram';
export { graphNodeIdOf, hasPipelineNode } from './graphModel';
