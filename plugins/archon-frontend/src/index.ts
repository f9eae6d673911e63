/**
 * archon's frontend plugin.
 *
 * @packageDocumentation
 */
export { archonPlugin as default } from './plugin';
export { archonApiRef } from './api';
export {
  configRouteRef,
  connectRouteRef,
  kafkaRouteRef,
  rootRouteRef,
} from './routes';
