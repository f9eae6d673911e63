/**
 * archon's frontend plugin.
 *
 * @packageDocumentation
 */
export { archonPlugin as default } from './plugin';
export { archonApiRef } from './api';
export { entityConnectorContent, isKafkaConnector } from './plugin';
export { EntityConnectorContent } from './components/EntityConnectorContent';
/** The Home page's widgets (the app's home module lays them out). */
export {
  AttentionWidget,
  GraphSearchWidget,
  RecentDeploysWidget,
  SystemHealthWidget,
} from './components/HomeWidgets';
export {
  configRouteRef,
  connectRouteRef,
  gatewayRouteRef,
  kafkaRouteRef,
  kafkaTopicRouteRef,
  marathonRouteRef,
  rootRouteRef,
  zookeeperRouteRef,
} from './routes';
export {
  ARCHON_CATALOG_RELATION_LABELS,
  ARCHON_CATALOG_RELATION_PAIRS,
} from '@archon/plugin-archon-common';
