/**
 * Backend-only types, errors and the extension point shared by the archon
 * backend plugin and its technology modules.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './errors';
export * from './ArchonAuthorizer';
export type * from './deploy';
export type * from './apps';
export * from './sse';
export * from './graph';
export type * from './audit';
export * from './catalog/ScheduledEntityProvider';
export * from './catalog/entityNames';
export * from './staleAnswers';
export * from './deadline';
export * from './paging';
export * from './queryValues';
