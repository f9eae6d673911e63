import { InputError } from '@backstage/errors';
import type { MarathonInstances } from '../marathon/MarathonInstances';
import {
  findConflicts,
  resolveUrl,
  routesOf,
  type GatewayRoute,
} from './routesFromLabels';

/**
 * Public routes derived from the labels of every Marathon app (marathon-lb
 * and Traefik), their conflicts, and "which app serves this URL". An
 * instance that cannot be read is reported in `errors`; the others still
 * count.
 */
export class GatewayService {
  readonly #instances: MarathonInstances;
  /** Requests that arrive while the apps are being read share that read. */
  #inFlight?: {
    key: string;
    value: Promise<{
      routes: GatewayRoute[];
      errors: Array<{ instance: string; message: string }>;
    }>;
  };

  constructor(instances: MarathonInstances) {
    this.#instances = instances;
  }

  async #collect(instance?: string) {
    const names = instance
      ? [this.#instances.get(instance).config.name]
      : this.#instances.names();
    const key = names.join(',');
    if (this.#inFlight?.key === key) return this.#inFlight.value;
    const value = (async () => {
      const errors: Array<{ instance: string; message: string }> = [];
      const routes: GatewayRoute[] = [];
      await Promise.all(
        names.map(async name => {
          try {
            const apps = await this.#instances.get(name).client.listApps();
            for (const app of apps) routes.push(...routesOf(name, app));
          } catch (error) {
            errors.push({ instance: name, message: (error as Error).message });
          }
        }),
      );
      routes.sort((a, b) =>
        `${a.instance} ${a.appId} ${a.portIndex ?? ''} ${a.vhost ?? ''} ${
          a.path ?? ''
        }`.localeCompare(
          `${b.instance} ${b.appId} ${b.portIndex ?? ''} ${b.vhost ?? ''} ${
            b.path ?? ''
          }`,
        ),
      );
      return { routes, errors };
    })();
    const entry = { key, value };
    this.#inFlight = entry;
    const clear = () => {
      if (this.#inFlight === entry) this.#inFlight = undefined;
    };
    value.then(clear, clear);
    return value;
  }

  async routes(instance?: string) {
    const { routes, errors } = await this.#collect(instance);
    return { items: routes, conflicts: findConflicts(routes), errors };
  }

  async resolve(rawUrl: string, instance?: string) {
    let url: URL;
    try {
      url = new URL(/^[a-z]+:\/\//i.test(rawUrl) ? rawUrl : `http://${rawUrl}`);
    } catch {
      throw new InputError(
        `"${rawUrl}" is not a URL; give e.g. http://www.example.com/api`,
      );
    }
    const { routes } = await this.#collect(instance);
    return resolveUrl(routes, url);
  }
}
