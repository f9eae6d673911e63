import { ENVIRONMENT_NAMES, ENVIRONMENTS } from '../lib/environments';
import { ServiceName } from '../lib/state';
import { connectServiceFor } from './connect';
import { kafkaServiceFor } from './kafka';
import { marathonServiceFor } from './marathon';
import { postgresService } from './postgres';
import { ServiceDefinition } from './types';
import { zookeeperServiceFor } from './zookeeper';

/** Each environment's four services (by the names ALL_SERVICES lists) and PostgreSQL. */
export const SERVICE_DEFINITIONS = Object.fromEntries(
  [
    ...ENVIRONMENT_NAMES.flatMap(name => {
      const env = ENVIRONMENTS[name];
      return [
        zookeeperServiceFor(env),
        kafkaServiceFor(env),
        connectServiceFor(env),
        marathonServiceFor(env),
      ];
    }),
    postgresService,
  ].map(definition => [definition.name, definition]),
) as Record<ServiceName, ServiceDefinition>;

export type {
  ServiceDefinition,
  ServiceContext,
  PortPlan,
  Health,
} from './types';
