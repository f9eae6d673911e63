// What the GraphService suites share: a service over fake contributors.
import { mockServices } from '@backstage/backend-test-utils';
import type { ArchonGraphContribution } from '@archon/plugin-archon-node';
import { FakeGraphContributor, shopPipeline } from './fakeGraphContributor';
import { GraphService } from '../graph/GraphService';
import type { GraphLimits } from '../graph/graphTraversal';

export const logger = mockServices.logger.mock();

export async function serviceWith(
  parts: Record<string, ArchonGraphContribution>,
  limits?: Partial<GraphLimits>,
) {
  const contributors = Object.entries(parts).map(
    ([id, part]) => new FakeGraphContributor(id, part),
  );
  const service = new GraphService({
    contributors,
    logger,
    limits,
    debounceMs: 1,
  });
  await service.refresh();
  const byId = Object.fromEntries(contributors.map(c => [c.id, c]));
  return { service, contributors: byId };
}

export const shop = () => serviceWith(shopPipeline());

export const ids = (nodes: Array<{ id: string }>) =>
  nodes.map(n => n.id).sort();

export function edgeOf(
  service: GraphService,
  from: string,
  kind: string,
  to: string,
) {
  return service
    .node(from)
    .edges.find(e => e.from === from && e.kind === kind && e.to === to);
}
