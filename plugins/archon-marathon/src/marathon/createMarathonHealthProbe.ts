import type { ArchonHealthProbe } from '@archon/plugin-archon-node';
import type { MarathonInstance } from './MarathonInstances';

/** A Marathon instance is up when `/v2/info` answers; it reports version, leader and framework. */
export function createMarathonHealthProbe(
  instance: MarathonInstance,
): ArchonHealthProbe {
  return {
    kind: 'marathon',
    name: instance.config.name,
    endpoint: instance.config.url,
    async probe({ signal }) {
      const info = await instance.client.info(signal);
      return {
        version: info.version,
        details: {
          leader: info.leader,
          elected: info.elected,
          frameworkId: info.frameworkId,
        },
      };
    },
  };
}
