import type { ArchonHealthProbe } from '@archon/plugin-archon-node';
import { parseSrvr, sendFourLetterWord } from './fourLetterWord';
import type { ZooKeeperEnsembleConfig } from './ZooKeeperEnsembleConfig';

/**
 * Probes every server of an ensemble with `srvr`. The ensemble is up when a
 * majority answers (a minority cannot serve writes); each server's mode and
 * any failure is reported in the details.
 */
export function createZooKeeperHealthProbe(
  ensemble: ZooKeeperEnsembleConfig,
): ArchonHealthProbe {
  return {
    kind: 'zookeeper',
    name: ensemble.name,
    endpoint: ensemble.connectionString,
    async probe({ signal }) {
      const results = await Promise.all(
        ensemble.servers.map(async ({ host, port }) => {
          try {
            const fields = parseSrvr(
              await sendFourLetterWord(host, port, 'srvr', signal),
            );
            return {
              server: `${host}:${port}`,
              mode: fields.Mode,
              version: fields['Zookeeper version']?.split(/[-,]/)[0],
              znodes: Number(fields['Node count']) || undefined,
            };
          } catch (error) {
            return {
              server: `${host}:${port}`,
              error: (error as Error).message,
            };
          }
        }),
      );
      const answering = results.filter(r => !('error' in r));
      if (answering.length * 2 <= results.length) {
        const errors = results
          .map(r => ('error' in r ? r.error : ''))
          .filter(Boolean);
        throw new Error(
          answering.length === 0
            ? errors.join('; ')
            : `only ${answering.length} of ${
                results.length
              } servers answer: ${errors.join('; ')}`,
        );
      }
      const first = answering[0] as { version?: string };
      return { version: first.version, details: { servers: results } };
    },
  };
}
