import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import StorageIcon from '@material-ui/icons/Storage';
import TuneIcon from '@material-ui/icons/Tune';
import SwapCallsIcon from '@material-ui/icons/SwapCalls';
import SettingsInputComponentIcon from '@material-ui/icons/SettingsInputComponent';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import AppsIcon from '@material-ui/icons/Apps';
import RouterIcon from '@material-ui/icons/Router';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';
import { archonApi } from './api';
import { isArchonApp, isDeployableApp } from './lib/appEntity';
import { hasPipelineNode } from './components/PipelinesPage/graphModel';
import {
  configRouteRef,
  connectRouteRef,
  gatewayRouteRef,
  kafkaRouteRef,
  kafkaTopicRouteRef,
  marathonRouteRef,
  pipelinesRouteRef,
  rootRouteRef,
  zookeeperRouteRef,
} from './routes';
import {
  deployTargetPickerField,
  kafkaClusterPickerField,
  topicPickerField,
} from './components/ScaffolderFields/scaffolderFields';

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

/**
 * One topic (`/archon/kafka/:cluster/topics/:topic`), read from the cluster:
 * no sidebar entry (no title or icon), the topic list links here.
 */
export const kafkaTopicPage = PageBlueprint.make({
  name: 'kafka-topic',
  params: {
    path: '/archon/kafka/:cluster/topics/:topic',
    routeRef: kafkaTopicRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/KafkaTopicPage').then(m => <m.KafkaTopicPage />),
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

/** Raw ZooKeeper znodes: tree, editor, search, export and import. */
export const zookeeperPage = PageBlueprint.make({
  name: 'zookeeper',
  params: {
    path: '/archon/zookeeper',
    title: 'ZooKeeper',
    icon: <AccountTreeIcon />,
    routeRef: zookeeperRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/ZooKeeperPage').then(m => <m.ZooKeeperPage />),
  },
});

/** Marathon apps by group, deployments in flight, the launch queue. */
export const marathonPage = PageBlueprint.make({
  name: 'marathon',
  params: {
    path: '/archon/marathon',
    title: 'Marathon',
    icon: <AppsIcon />,
    routeRef: marathonRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/MarathonPage').then(m => <m.MarathonPage />),
  },
});

/** Public routes (vhost/path/port) to apps, with conflicts. */
export const gatewayPage = PageBlueprint.make({
  name: 'gateway',
  params: {
    path: '/archon/gateway',
    title: 'Gateway',
    icon: <RouterIcon />,
    routeRef: gatewayRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/GatewayPage').then(m => <m.GatewayPage />),
  },
});

/** The data-flow graph: apps, topics, connectors, consumer groups, drift. */
export const pipelinesPage = PageBlueprint.make({
  name: 'pipelines',
  params: {
    path: '/archon/pipelines',
    title: 'Pipelines',
    icon: <DeviceHubIcon />,
    routeRef: pipelinesRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/PipelinesPage').then(m => <m.PipelinesPage />),
  },
});

/** The "Pipeline" tab: lineage around an app Component or a kafka-topic Resource. */
export const entityPipelineContent = EntityContentBlueprint.make({
  name: 'pipeline',
  params: {
    path: '/pipeline',
    title: 'Pipeline',
    group: 'observability',
    filter: hasPipelineNode,
    loader: () =>
      import('./components/PipelinesPage').then(m => (
        <m.EntityPipelineContent />
      )),
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

/** A Kafka Connect connector archon provides (or annotated like one). */
export function isKafkaConnector(entity: Entity): boolean {
  return (
    entity.kind.toLowerCase() === 'component' &&
    (entity.spec as { type?: string } | undefined)?.type ===
      'kafka-connector' &&
    Boolean(entity.metadata.annotations?.['archon.io/connect-cluster']) &&
    Boolean(entity.metadata.annotations?.['archon.io/connector'])
  );
}

/** The "Connector" tab of kafka-connector components. */
export const entityConnectorContent = EntityContentBlueprint.make({
  name: 'connector',
  params: {
    path: '/connector',
    title: 'Connector',
    group: 'observability',
    filter: isKafkaConnector,
    loader: () =>
      import('./components/EntityConnectorContent').then(m => (
        <m.EntityConnectorContent />
      )),
  },
});

/** The "Deploy" tab of app components with a configuration path. */
export const entityDeployContent = EntityContentBlueprint.make({
  name: 'deploy',
  params: {
    path: '/deploy',
    title: 'Deploy',
    group: 'deployment',
    filter: isDeployableApp,
    loader: () =>
      import('./components/EntityDeployContent').then(m => (
        <m.EntityDeployContent />
      )),
  },
});

/** The "Monitor" tab of app components (Marathon apps archon knows). */
export const entityMonitorContent = EntityContentBlueprint.make({
  name: 'monitor',
  params: {
    path: '/monitor',
    title: 'Monitor',
    group: 'observability',
    filter: isArchonApp,
    loader: () =>
      import('./components/EntityMonitorContent').then(m => (
        <m.EntityMonitorContent />
      )),
  },
});

/** The deployment card on the overview of app components. */
export const entityAppOverviewCard = EntityCardBlueprint.make({
  name: 'app-overview',
  params: {
    type: 'info',
    filter: isArchonApp,
    loader: () =>
      import('./components/AppOverviewCard').then(m => <m.AppOverviewCard />),
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
    kafkaTopicPage,
    connectPage,
    zookeeperPage,
    marathonPage,
    gatewayPage,
    pipelinesPage,
    entityConfigContent,
    entityKafkaTopicContent,
    entityConnectorContent,
    entityDeployContent,
    entityMonitorContent,
    entityPipelineContent,
    entityAppOverviewCard,
    kafkaClusterPickerField,
    deployTargetPickerField,
    topicPickerField,
  ],
  routes: {
    root: rootRouteRef,
    config: configRouteRef,
    kafka: kafkaRouteRef,
    kafkaTopic: kafkaTopicRouteRef,
    connect: connectRouteRef,
    zookeeper: zookeeperRouteRef,
    marathon: marathonRouteRef,
    gateway: gatewayRouteRef,
    pipelines: pipelinesRouteRef,
  },
});
