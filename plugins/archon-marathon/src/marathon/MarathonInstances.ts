import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { MarathonClient } from '../client/MarathonClient';
import { MarathonEventHub } from '../client/MarathonEventHub';
import type { MarathonInstanceConfig } from './config';

export interface MarathonInstance {
  config: MarathonInstanceConfig;
  client: MarathonClient;
  events: MarathonEventHub;
}

/** The configured Marathon instances, each with its client and shared event stream. */
export class MarathonInstances {
  readonly #instances = new Map<string, MarathonInstance>();

  constructor(configs: MarathonInstanceConfig[], logger: LoggerService) {
    for (const config of configs) {
      const client = new MarathonClient(config);
      this.#instances.set(config.name, {
        config,
        client,
        events: new MarathonEventHub(
          client,
          logger.child({ marathon: config.name }),
        ),
      });
    }
  }

  names(): string[] {
    return [...this.#instances.keys()];
  }

  all(): MarathonInstance[] {
    return [...this.#instances.values()];
  }

  has(name: string): boolean {
    return this.#instances.has(name);
  }

  /** The named instance; 400 naming the configured ones otherwise. */
  get(name: string): MarathonInstance {
    const instance = this.#instances.get(name);
    if (!instance) {
      throw new InputError(
        `Unknown Marathon instance "${name}"; configured: ${
          this.names().join(', ') || 'none (archon.marathon.instances)'
        }`,
      );
    }
    return instance;
  }

  async close(): Promise<void> {
    for (const instance of this.#instances.values()) {
      instance.events.close();
      await instance.client.close().catch(() => undefined);
    }
  }
}
