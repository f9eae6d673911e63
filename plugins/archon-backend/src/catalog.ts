/**
 * The catalog module of `@archon/plugin-archon-backend` (archon's own component
 * and its OpenAPI entity): `backend.add(import('@archon/plugin-archon-backend/catalog'))`.
 *
 * @packageDocumentation
 */
export { catalogModuleArchonApi as default } from './catalogModule';
