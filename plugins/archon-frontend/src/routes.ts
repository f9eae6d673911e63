import { createRouteRef } from '@backstage/frontend-plugin-api';

/** archon's own pages, under /archon. */
export const rootRouteRef = createRouteRef();

/** The Pheidippides configuration page (`/archon/config`, `?path=` selects a level). */
export const configRouteRef = createRouteRef();

/** The Kafka page (`/archon/kafka`). */
export const kafkaRouteRef = createRouteRef();

/** The Kafka Connect page (`/archon/connect`). */
export const connectRouteRef = createRouteRef();

/** The ZooKeeper explorer (`/archon/zookeeper`, `?ensemble=&path=` select a znode). */
export const zookeeperRouteRef = createRouteRef();

/** The Marathon page (`/archon/marathon`). */
export const marathonRouteRef = createRouteRef();

/** The gateway routes page (`/archon/gateway`). */
export const gatewayRouteRef = createRouteRef();

/** The pipelines (data-flow graph) page (`/archon/pipelines`). */
export const pipelinesRouteRef = createRouteRef();

/** A Kafka topic's page (`/archon/kafka/:cluster/topics/:topic`), read from the cluster, not the catalog. */
export const kafkaTopicRouteRef = createRouteRef({
  params: ['cluster', 'topic'],
});
