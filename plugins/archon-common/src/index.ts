/**
 * Isomorphic types and permission definitions shared by archon's frontend,
 * backend, modules and CLI.
 *
 * @packageDocumentation
 */
export * from './appState';
export * from './catalogRelations';
export * from './configKeyHints';
export * from './connectorState';
export * from './deployPlanScale';
export * from './groupLag';
export * from './health';
export * from './pages';
export * from './permissions';
export * from './releaseLifecycle';
export * from './secrets';
export * from './topicNames';
export {
  DefaultApiClient as ArchonApiClient,
  type GetHealth,
  type RequestOptions,
  type TypedResponse,
} from './schema/openapi';
export type * from './schema/openapi/generated/models';
