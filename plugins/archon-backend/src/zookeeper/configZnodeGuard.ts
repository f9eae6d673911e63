import {
  decodeConfigLevelData,
  getConfigSetCodec,
  type ConfigProperties,
} from '../config/core';
import type { ConfigService } from '../config/ConfigService';
import { ZooKeeperConflictError } from './explorer';

/** Where a znode lies in the Pheidippides tree: the root itself, or a configuration path. */
export type ConfigTreeLocation =
  | { root: true; configPath?: undefined }
  | { root: false; configPath: string };

/**
 * Raw ZooKeeper writes to the configuration tree bypass everything that makes
 * configuration writes safe (no-op detection, the breaking-write check, the
 * history). This guard refuses them unless the caller says `raw=true`, and
 * records the raw ones in the configuration history.
 */
export class ConfigZnodeGuard {
  readonly #config: ConfigService;

  constructor(config: ConfigService) {
    this.#config = config;
  }

  /** The znode's place in the ensemble's configuration tree, if it has one. */
  locate(ensemble: string, znodePath: string): ConfigTreeLocation | undefined {
    const root = this.#config
      .ensemble(ensemble)
      .config.root.replace(/\/+$/, '');
    if (znodePath === root) return { root: true };
    if (!znodePath.startsWith(`${root}/`)) return undefined;
    return { root: false, configPath: znodePath.slice(root.length) };
  }

  /** 409 naming the configuration route, unless the write is explicitly raw. */
  check(
    ensemble: string,
    znodePath: string,
    raw: boolean,
    what: string,
  ): ConfigTreeLocation | undefined {
    // A recursive delete or an import above the root reaches into the tree too.
    const root = this.#config
      .ensemble(ensemble)
      .config.root.replace(/\/+$/, '');
    const above =
      (what === 'delete' || what === 'import') &&
      znodePath !== '/' &&
      root.startsWith(`${znodePath}/`);
    const location = above
      ? { root: true as const }
      : this.locate(ensemble, znodePath);
    if (!location || raw) return location;
    const route = location.root
      ? 'the configuration routes (/api/archon/config/sets/{path})'
      : `${what === 'delete' ? 'DELETE' : 'PUT'} /api/archon/config/sets${
          location.configPath
        } (archon config ${what === 'delete' ? 'rm' : 'set'} ${
          location.configPath
        })`;
    throw new ZooKeeperConflictError(
      `${znodePath} is ${
        location.root
          ? 'the root of the configuration tree'
          : `the configuration level ${location.configPath}`
      }; ${what} it through ${route}, which checks the write and records it in the configuration history, or add raw=true to write the znode anyway`,
      { details: { configPath: location.configPath ?? '/', raw: false } },
    );
  }

  /** The set a configuration znode holds now (undefined: absent, no set, or not a readable set). */
  async setAt(
    ensemble: string,
    znodePath: string,
  ): Promise<{ properties?: ConfigProperties; version?: number }> {
    const { session, config } = this.#config.ensemble(ensemble);
    const node = await session.getData(znodePath);
    if (!node) return {};
    try {
      const level = decodeConfigLevelData(
        getConfigSetCodec(config.encoding),
        node.data,
        znodePath,
      );
      return {
        properties: level.hasSet ? { ...level.properties } : undefined,
        version: node.stat.version,
      };
    } catch {
      // Not a set archon can read: the history entry says a raw write happened, without the keys.
      return { version: node.stat.version };
    }
  }

  /** A history entry "raw znode write" for a configuration level a raw write changed. */
  async record(options: {
    ensemble: string;
    location: ConfigTreeLocation | undefined;
    actor: string;
    before: { properties?: ConfigProperties };
    after: { properties?: ConfigProperties; version?: number };
  }) {
    if (!options.location || options.location.root) return;
    await this.#config.recordRawWrite({
      ensemble: this.#config.ensemble(options.ensemble).config.name,
      path: options.location.configPath,
      actor: options.actor,
      before: options.before.properties,
      after: options.after.properties,
      version: options.after.version,
    });
  }
}
