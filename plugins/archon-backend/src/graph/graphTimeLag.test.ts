// A consumer's time lag on its consumes-from edges: the group's figure per
// topic (from the Kafka part), and an app's edge through its groups.
import type { ArchonGraphContribution } from '@archon/plugin-archon-node';
import {
  declared,
  graphNode,
  observed,
} from '../__testUtils__/fakeGraphContributor';
import { edgeOf, serviceWith } from '../__testUtils__/graphServiceKit';

const RAW = 'topic:local/raw';
const ERRORS = 'topic:local/errors';
const GROUP = 'group:local/enricher';
const APP = 'app:local/sample/enricher';
const OTHER = 'group:local/enricher-replay';

/** The enricher reads raw through two groups (one lagging 3 min) and errors through one with no figure. */
function parts(): Record<string, ArchonGraphContribution> {
  const group = (id: string, byTopic?: object) =>
    graphNode(id, 'consumer-group', {
      attributes: byTopic ? { timeLagByTopic: byTopic } : {},
    });
  return {
    kafka: {
      nodes: [
        graphNode(RAW, 'topic'),
        graphNode(ERRORS, 'topic'),
        group(GROUP, { raw: { ms: 2_000, lagging: false } }),
        group(OTHER, { raw: { ms: 180_000, lagging: true } }),
      ],
      edges: [
        observed(RAW, 'consumes-from', GROUP, 'group enricher committed'),
        observed(RAW, 'consumes-from', OTHER, 'group replay committed'),
        observed(ERRORS, 'consumes-from', GROUP, 'group enricher on errors'),
      ],
    },
    marathon: {
      nodes: [graphNode(APP, 'app')],
      edges: [
        declared(RAW, 'consumes-from', APP),
        declared(ERRORS, 'consumes-from', APP),
        declared(GROUP, 'belongs-to', APP),
        declared(OTHER, 'belongs-to', APP),
      ],
    },
  };
}

describe('time lag on consumes-from edges', () => {
  it("shows each group's figure on its topic's edge, and the largest on the app's", async () => {
    const { service } = await serviceWith(parts());
    const toGroup = edgeOf(service, RAW, 'consumes-from', GROUP)!;
    expect(toGroup.metrics).toEqual({ timeLagMs: 2_000 });
    expect(toGroup.lagging).toBe(false);
    expect(edgeOf(service, RAW, 'consumes-from', OTHER)!).toMatchObject({
      metrics: { timeLagMs: 180_000 },
      lagging: true,
    });
    // The app reads raw through both groups: the replay group's 3 min lags.
    expect(edgeOf(service, RAW, 'consumes-from', APP)).toMatchObject({
      metrics: { timeLagMs: 180_000 },
      lagging: true,
      derived: true,
    });
  });

  it('says nothing where no figure was sampled', async () => {
    const { service } = await serviceWith(parts());
    for (const to of [GROUP, APP]) {
      const edge = edgeOf(service, ERRORS, 'consumes-from', to)!;
      expect(edge.metrics).toBeUndefined();
      expect(edge.lagging).toBeUndefined();
    }
    expect(edgeOf(service, GROUP, 'belongs-to', APP)!.metrics).toBeUndefined();
  });
});
