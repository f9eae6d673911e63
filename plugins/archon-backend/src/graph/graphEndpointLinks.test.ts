import {
  eventually,
  getTestCluster,
  testNamespace,
} from '@archon/local-cluster/testing';
import type {
  ArchonGraphContribution,
  ArchonGraphEndpoints,
} from '@archon/plugin-archon-node';
import { startArchonTestBackend } from '@archon/test-utils';
import request from 'supertest';
import {
  contributorModule,
  declared,
  FakeGraphContributor,
  graphNode,
  structural,
} from '../__testUtils__/fakeGraphContributor';
import { logger } from '../__testUtils__/graphServiceKit';
import { archonPlugin } from '../plugin';
import { GraphService } from './GraphService';

jest.setTimeout(60_000);

const cluster = getTestCluster();
const ns = testNamespace('graph-endpoints');

const appender = 'app:local/feed/appender';
const web = 'app:local/feed/web';
const source = 'connector:c1/lines-source';
const sink = 'connector:c1/lines-sink';
const lines = 'topic:k1/lines';

const uses = (endpoint: string, declaredBy: string) => [
  { endpoint, declared: declaredBy },
];
const withEndpoints = (endpoints: ArchonGraphEndpoints) => ({
  attributes: { endpoints },
});

/**
 * An app writing the file a FileStream-like source reads, and one reading the
 * file a sink writes, split into parts the way Marathon and Connect report
 * them: only the endpoints they declare connect them.
 */
const marathonPart = (): ArchonGraphContribution => ({
  nodes: [
    graphNode(
      appender,
      'app',
      withEndpoints({
        writes: uses('file:/data/in.txt', 'label ARCHON_WRITES_FILES'),
      }),
    ),
    graphNode(
      web,
      'app',
      withEndpoints({
        reads: uses('file:/data/out.txt', 'label ARCHON_READS_FILES'),
      }),
    ),
  ],
  edges: [],
});
const connectPart = (sourceFile = 'file:/data/in.txt') => ({
  nodes: [
    graphNode(
      source,
      'connector',
      withEndpoints({ reads: uses(sourceFile, 'config file') }),
    ),
    graphNode(
      sink,
      'connector',
      withEndpoints({ writes: uses('file:/data/out.txt', 'config file') }),
    ),
    graphNode(lines, 'topic'),
  ],
  edges: [
    declared(source, 'source-writes', lines, 'config topic'),
    declared(lines, 'sink-reads', sink, 'config topics'),
    structural(lines, 'runs-on', 'cluster:kafka/k1'),
  ],
});

const marathon = new FakeGraphContributor('marathon', marathonPart());
const connect = new FakeGraphContributor('connect', connectPart());

let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;

beforeAll(async () => {
  backend = await startArchonTestBackend({
    zookeeper: {
      connectionString: cluster.zookeeper.connectionString,
      root: `${ns.zkRoot}/pheidippides`,
    },
    features: [archonPlugin, contributorModule([marathon, connect])],
  });
});

afterAll(async () => {
  await backend?.stop();
});

const get = (path: string) => request(backend.server).get(`/api/archon${path}`);

interface Edge {
  from: string;
  kind: string;
  to: string;
  evidence?: { declared?: string[]; observed?: string[] };
  drift?: string;
  contributors: string[];
}

const endpointEdges = async (): Promise<Edge[]> => {
  const res = await get('/graph?edgeKinds=source-reads,sink-writes');
  expect(res.status).toBe(200);
  return res.body.edges;
};

describe('endpoint links', () => {
  it('links the app writing a file to the source connector reading it, and the sink writing one to the app reading it', async () => {
    let edges: Edge[] = [];
    await eventually(async () => {
      edges = await endpointEdges();
      expect(edges).toHaveLength(2);
    });
    expect(edges.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      {
        from: sink,
        kind: 'sink-writes',
        to: web,
        // Both sides' declarations; nothing observes a file, so no drift is judged.
        evidence: {
          declared: [
            'lines-sink writes file:/data/out.txt: config file',
            '/feed/web reads file:/data/out.txt: label ARCHON_READS_FILES',
          ],
        },
        contributors: ['endpoints'],
      },
      {
        from: appender,
        kind: 'source-reads',
        to: source,
        evidence: {
          declared: [
            '/feed/appender writes file:/data/in.txt: label ARCHON_WRITES_FILES',
            'lines-source reads file:/data/in.txt: config file',
          ],
        },
        contributors: ['endpoints'],
      },
    ]);
  });

  it('carries impact and lineage across the file from the first stage to the last', async () => {
    const impact = await get(`/graph/impact/${encodeURIComponent(appender)}`);
    expect(impact.status).toBe(200);
    const web_ = impact.body.affected.find(
      (a: { node: { id: string } }) => a.node.id === web,
    );
    expect(web_.path.map((e: { kind: string }) => e.kind)).toEqual([
      'source-reads',
      'source-writes',
      'sink-reads',
      'sink-writes',
    ]);
    expect(impact.body.counts).toEqual({ app: 1, connector: 2, topic: 1 });

    const up = await get(
      `/graph/lineage/${encodeURIComponent(web)}?direction=up&depth=4`,
    );
    expect(up.status).toBe(200);
    expect(
      up.body.nodes.map((n: { id: string; distance: number }) => [
        n.id,
        n.distance,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [sink, 1],
        [lines, 2],
        [source, 3],
        [appender, 4],
      ]),
    );
  });

  it('drops a link once one side no longer declares the file', async () => {
    connect.push(connectPart('file:/data/elsewhere.txt'));
    await eventually(async () => {
      expect((await endpointEdges()).map(e => e.kind)).toEqual(['sink-writes']);
    });
    connect.push(connectPart());
    await eventually(async () => {
      expect(await endpointEdges()).toHaveLength(2);
    });
  });
});

it('refuses a contributor that takes the derived part’s id', () => {
  expect(
    () =>
      new GraphService({
        contributors: [new FakeGraphContributor('endpoints')],
        logger,
      }),
  ).toThrow('the graph contributor id "endpoints" is archon\'s own');
});
