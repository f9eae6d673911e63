/**
 * The catalog module of `@archon/plugin-archon-marathon` (Marathon apps as
 * Components, their relations to Kafka topics):
 * `backend.add(import('@archon/plugin-archon-marathon/catalog'))`.
 *
 * @packageDocumentation
 */
export { catalogModuleArchonMarathon as default } from './catalogModule';
export { ANNOTATIONS, RELATIONS } from './catalog/entities';
