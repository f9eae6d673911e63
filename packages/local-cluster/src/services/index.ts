import { ServiceName } from '../lib/state';
import { ENVIRONMENTS } from '../lib/environments';
import { connectService, connectServiceFor } from './connect';
import { kafkaService, kafkaServiceFor } from './kafka';
import { marathonService, marathonServiceFor } from './marathon';
import { postgresService } from './postgres';
import { ServiceDefinition } from './types';
import { zookeeperService, zookeeperServiceFor } from './zookeeper';

const dr = ENVIRONMENTS.dr;

export const SERVICE_DEFINITIONS: Record<ServiceName, ServiceDefinition> = {
  zookeeper: zookeeperService,
  kafka: kafkaService,
  connect: connectService,
  postgres: postgresService,
  marathon: marathonService,
  'zookeeper-dr': zookeeperServiceFor(dr),
  'kafka-dr': kafkaServiceFor(dr),
  'connect-dr': connectServiceFor(dr),
  'marathon-dr': marathonServiceFor(dr),
};

export type {
  ServiceDefinition,
  ServiceContext,
  PortPlan,
  Health,
} from './types';
