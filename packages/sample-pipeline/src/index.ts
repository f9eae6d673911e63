/**
 * The sample pipeline archon's embedded default runs: its definition and the
 * seeder that creates it through archon's REST API.
 *
 * @packageDocumentation
 */
export {
  pipelineDefinition,
  type PipelineDefinition,
  type PipelineOptions,
} from './pipeline';
export {
  seedPipeline,
  SeedError,
  type SeedOptions,
  type SeedResult,
} from './seed';
export { readLines, waitForSinkLines } from './verify';
