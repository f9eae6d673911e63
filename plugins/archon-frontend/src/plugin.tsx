import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import StorageIcon from '@material-ui/icons/Storage';
import TuneIcon from '@material-ui/icons/Tune';
import SwapCallsIcon from '@material-ui/icons/SwapCalls';
import SettingsInputComponentIcon from '@material-ui/icons/SettingsInputComponent';
import { archonApi } from './api';
import {
  configRouteRef,
  connectRouteRef,
  kafkaRouteRef,
  rootRouteRef,
} from './routes';

/** The systems page; its title and icon also make its sidebar entry. */
export const systemsPage = PageBlueprint.make({
  params: {
    path: '/archon',
    title: 'archon',
    icon: <StorageIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/SystemsPage').then(m => <m.SystemsPage />),
  },
});

/** Pheidippides configuration: tree, set editor, effective view, history. */
export const configPage = PageBlueprint.make({
  name: 'config',
  params: {
    path: '/archon/config',
    title: 'Configuration',
    icon: <TuneIcon />,
    routeRef: configRouteRef,
    noHeader: true,
    loader: () => import('./components/ConfigPage').then(m => <m.ConfigPage />),
  },
});

/** Kafka clusters, brokers, topics and consumer groups. */
export const kafkaPage = PageBlueprint.make({
  name: 'kafka',
  params: {
    path: '/archon/kafka',
    title: 'Kafka',
    icon: <SwapCallsIcon />,
    routeRef: kafkaRouteRef,
    noHeader: true,
    loader: () => import('./components/KafkaPage').then(m => <m.KafkaPage />),
  },
});

/** Kafka Connect connectors across clusters. */
export const connectPage = PageBlueprint.make({
  name: 'connect',
  params: {
    path: '/archon/connect',
    title: 'Kafka Connect',
    icon: <SettingsInputComponentIcon />,
    routeRef: connectRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/ConnectPage').then(m => <m.ConnectPage />),
  },
});

/** A Component whose configuration lives in Pheidippides. */
export function hasConfigPath(entity: Entity): boolean {
  return (
    entity.kind.toLowerCase() === 'component' &&
    Boolean(entity.metadata.annotations?.['archon.io/config-path'])
  );
}

/** A Kafka topic archon provides (or annotated like one). */
export function isKafkaTopic(entity: Entity): boolean {
  return (
    entity.kind.toLowerCase() === 'resource' &&
    (entity.spec as { type?: string } | undefined)?.type === 'kafka-topic' &&
    Boolean(entity.metadata.annotations?.['archon.io/kafka-cluster']) &&
    Boolean(entity.metadata.annotations?.['archon.io/kafka-topic'])
  );
}

/** The "Config" tab of components with `archon.io/config-path`. */
export const entityConfigContent = EntityContentBlueprint.make({
  name: 'config',
  params: {
    path: '/config',
    title: 'Config',
    group: 'deployment',
    filter: hasConfigPath,
    loader: () =>
      import('./components/EntityConfigContent').then(m => (
        <m.EntityConfigContent />
      )),
  },
});

/** The "Kafka" tab of kafka-topic resources. */
export const entityKafkaTopicContent = EntityContentBlueprint.make({
  name: 'kafka-topic',
  params: {
    path: '/kafka',
    title: 'Kafka',
    group: 'observability',
    filter: isKafkaTopic,
    loader: () =>
      import('./components/KafkaTopicContent').then(m => (
        <m.KafkaTopicContent />
      )),
  },
});

/** archon's frontend: pages and entity tabs over the archon API. */
export const archonPlugin = createFrontendPlugin({
  pluginId: 'archon',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    archonApi,
    systemsPage,
    configPage,
    kafkaPage,
    connectPage,
    entityConfigContent,
    entityKafkaTopicContent,
  ],
  routes: {
    root: rootRouteRef,
    config: configRouteRef,
    kafka: kafkaRouteRef,
    connect: connectRouteRef,
  },
});
