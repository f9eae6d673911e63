import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ScheduledEntityProvider,
  type EntitySource,
} from '@archon/plugin-archon-node';
import type { MarathonInstances } from '../marathon/MarathonInstances';
import { appEntity, type AppEntityDefaults } from './entities';

export const PROVIDER_NAME = 'archon-marathon';

/**
 * Registers every app of every configured Marathon instance as a Component
 * (full mutations on a schedule; an unreadable instance keeps its last
 * entities).
 */
export class ArchonMarathonEntityProvider extends ScheduledEntityProvider {
  readonly #instances: MarathonInstances;
  readonly #defaults: AppEntityDefaults;

  constructor(options: {
    instances: MarathonInstances;
    defaults: AppEntityDefaults;
    logger: LoggerService;
    taskRunner?: SchedulerServiceTaskRunner;
  }) {
    super({ name: PROVIDER_NAME, ...options });
    this.#instances = options.instances;
    this.#defaults = options.defaults;
  }

  protected sources(): EntitySource[] {
    return this.#instances.all().map(instance => {
      const name = instance.config.name;
      // The instance's own Kafka cluster wins over the module's default (#20).
      const defaults = {
        ...this.#defaults,
        kafkaCluster:
          instance.config.kafkaCluster ?? this.#defaults.kafkaCluster,
      };
      return {
        key: name,
        label: `Marathon instance "${name}"`,
        read: async () =>
          (await instance.client.listApps())
            .sort((a, b) => a.id.localeCompare(b.id))
            .map(app => appEntity(defaults, name, app)),
      };
    });
  }
}
