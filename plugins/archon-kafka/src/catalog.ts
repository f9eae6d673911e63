/**
 * The catalog module of `@archon/plugin-archon-kafka` (topics and connectors
 * as entities, their relations): `backend.add(import('@archon/plugin-archon-kafka/catalog'))`.
 *
 * @packageDocumentation
 */
export { catalogModuleArchonKafka as default } from './catalogModule';
export { ANNOTATIONS, RELATIONS, entityName } from './catalog/entities';
