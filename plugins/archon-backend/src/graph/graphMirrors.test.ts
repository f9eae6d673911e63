// The `mirrors` edge across two Kafka clusters: its growth evidence, its drift, and lineage through it.
import type { ArchonGraphContribution } from '@archon/plugin-archon-node';
import {
  declared,
  graphNode,
  structural,
} from '../__testUtils__/fakeGraphContributor';
import { edgeOf, ids, serviceWith } from '../__testUtils__/graphServiceKit';

const SAMPLED = '2026-01-01T00:00:00.000Z';
const SOURCE = 'topic:local/sample.aggregated';
const REPLICA = 'topic:dr/local.sample.aggregated';
const ARCHIVER = 'app:dr/sample/dr/archiver';

/** Two clusters: a mirror declared by MirrorMaker's connector on dr, the dr archiver reading the replica. */
function twoClusters(
  rates: { source?: number; replica?: number },
  mirrorObserved?: string[],
): Record<string, ArchonGraphContribution> {
  const topic = (id: string, rate: number | undefined) =>
    graphNode(id, 'topic', {
      status: {
        state: 'healthy',
        sampledAt: SAMPLED,
        ...(rate !== undefined ? { metrics: { messagesPerSecond: rate } } : {}),
      },
    });
  return {
    kafka: {
      nodes: [
        topic(SOURCE, rates.source),
        topic(REPLICA, rates.replica),
        graphNode('connector:dr/sample-mirror', 'connector'),
      ],
      edges: [
        {
          ...declared(SOURCE, 'mirrors', REPLICA, 'connector sample-mirror'),
          ...(mirrorObserved
            ? {
                evidence: {
                  declared: ['connector sample-mirror'],
                  observed: mirrorObserved,
                },
              }
            : {}),
        },
        structural(
          'connector:dr/sample-mirror',
          'runs-on',
          'cluster:connect/dr',
        ),
      ],
    },
    marathon: {
      nodes: [
        graphNode('app:local/sample/aggregator', 'app'),
        graphNode(ARCHIVER, 'app'),
      ],
      edges: [
        declared('app:local/sample/aggregator', 'produces-to', SOURCE),
        declared(REPLICA, 'consumes-from', ARCHIVER),
      ],
    },
  };
}

describe('mirrors', () => {
  it('is observed when the replica grows', async () => {
    const { service } = await serviceWith(
      twoClusters({ source: 2, replica: 1.5 }),
    );
    const edge = edgeOf(service, SOURCE, 'mirrors', REPLICA)!;
    expect(edge.drift).toBeUndefined();
    expect(edge.evidence?.observed).toEqual([
      'end offsets of local.sample.aggregated on dr move (1.5 msg/s)',
    ]);
  });

  it("drifts when the source grows and the replica does not, even while MirrorMaker's heartbeats flow", async () => {
    const { service } = await serviceWith(
      twoClusters({ source: 2, replica: 0 }, ['heartbeats reach dr']),
    );
    expect(edgeOf(service, SOURCE, 'mirrors', REPLICA)!.drift).toBe(
      'declared-not-observed',
    );
    const drifting = service.graph({ drift: true });
    expect(drifting.edges.map(e => `${e.from} ${e.kind} ${e.to}`)).toContain(
      `${SOURCE} mirrors ${REPLICA}`,
    );
  });

  it('does not drift while the source stands still and the replica exists', async () => {
    const { service } = await serviceWith(
      twoClusters({ source: 0, replica: 0 }),
    );
    const edge = edgeOf(service, SOURCE, 'mirrors', REPLICA)!;
    expect(edge.drift).toBeUndefined();
    expect(edge.evidence?.observed?.[0]).toMatch(
      /sample.aggregated on local did not move .* exists/,
    );
  });

  it('carries impact, lineage and path across clusters', async () => {
    const { service } = await serviceWith(
      twoClusters({ source: 2, replica: 2 }),
    );
    const impact = service.impact(SOURCE, {});
    const archiver = impact.affected.find(a => a.node.id === ARCHIVER)!;
    expect(archiver.node.cluster).toBe('dr');
    expect(archiver.path.map(e => `${e.from} ${e.kind} ${e.to}`)).toEqual([
      `${SOURCE} mirrors ${REPLICA}`,
      `${REPLICA} consumes-from ${ARCHIVER}`,
    ]);
    const up = service.lineage(ARCHIVER, { direction: 'up', depth: 3 });
    expect(ids(up.nodes)).toContain('app:local/sample/aggregator');
    const path = service.path('app:local/sample/aggregator', ARCHIVER, {});
    expect(path.paths.map(p => p.nodes)).toEqual([
      ['app:local/sample/aggregator', SOURCE, REPLICA, ARCHIVER],
    ]);
  });
});
