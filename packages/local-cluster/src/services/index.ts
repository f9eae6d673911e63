import { ServiceName } from '../lib/state';
import { connectService } from './connect';
import { kafkaService } from './kafka';
import { marathonService } from './marathon';
import { postgresService } from './postgres';
import { ServiceDefinition } from './types';
import { zookeeperService } from './zookeeper';

export const SERVICE_DEFINITIONS: Record<ServiceName, ServiceDefinition> = {
  zookeeper: zookeeperService,
  kafka: kafkaService,
  connect: connectService,
  postgres: postgresService,
  marathon: marathonService,
};

export type {
  ServiceDefinition,
  ServiceContext,
  PortPlan,
  Health,
} from './types';
