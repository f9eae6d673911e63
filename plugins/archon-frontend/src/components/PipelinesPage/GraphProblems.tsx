import { WarningPanel } from '@backstage/core-components';
import type { GraphContributorState } from '@archon/plugin-archon-common';

/**
 * One banner per contributor whose last refresh failed, naming the system:
 * its previous part is still drawn, so the diagram may be stale there.
 */
export const GraphProblems = (props: {
  contributors?: GraphContributorState[];
}) => (
  <>
    {(props.contributors ?? [])
      .filter(c => c.error)
      .map(c => (
        <WarningPanel
          key={c.id}
          severity="warning"
          title={`The ${c.id} part of the graph could not be refreshed`}
          message={`${c.error} What it showed last${
            c.refreshedAt ? ` (${c.refreshedAt})` : ''
          } is still drawn.`}
        />
      ))}
  </>
);
