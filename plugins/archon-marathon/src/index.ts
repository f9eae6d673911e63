/**
 * Marathon for archon: the deploy adapter (configuration paths → Marathon
 * apps), monitoring and debugging routes, gateway routes from app labels, and
 * (in `./catalog`) the catalog module.
 *
 * @packageDocumentation
 */
export { archonModuleMarathon as default } from './module';
export { catalogModuleArchonMarathon } from './catalogModule';
export { ARCHON_LABELS, envNameOf, renderApp } from './render/renderApp';
export { appIdOf } from './render/appId';
export {
  ANNOTATIONS as archonMarathonAnnotations,
  RELATIONS as archonMarathonRelations,
} from './catalog/entities';
