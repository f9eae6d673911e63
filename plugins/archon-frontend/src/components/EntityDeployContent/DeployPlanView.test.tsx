import { screen } from '@testing-library/react';
import type { DeployPlan } from '@archon/plugin-archon-common';
import { renderArchon } from '../../__testUtils__';
import { DeployPlanView } from './DeployPlanView';

const plan = (running: Record<string, unknown>): DeployPlan => ({
  dryRun: true,
  instance: 'local',
  targetKind: 'marathon',
  configPath: '/team/svc-1',
  workloadId: '/team/svc-1',
  definition: { id: '/team/svc-1' },
  exists: true,
  changes: [],
  running,
});
const scale = {
  instances: 2,
  actor: 'user:default/ann',
  at: '2026-12-04T23:00:00.000Z',
};

describe('DeployPlanView: a scale through archon', () => {
  it('says what the deploy changes of the scaled instances', async () => {
    const change =
      'instances: 2 → 1 (scaled by user:default/ann at 2026-12-04T23:00:00.000Z)';
    await renderArchon(
      <DeployPlanView plan={plan({ scale: { ...scale, change } })} />,
    );
    expect(
      await screen.findByText(
        `The configuration sets the instances: ${change}`,
      ),
    ).toBeInTheDocument();
  });

  it('says the deploy keeps them when the configuration sets none, and nothing without a scale', async () => {
    const { unmount } = await renderArchon(
      <DeployPlanView plan={plan({ scale })} />,
    );
    expect(
      await screen.findByText(
        'instances: 2 kept (scaled by user:default/ann at 2026-12-04T23:00:00.000Z; the configuration sets none)',
      ),
    ).toBeInTheDocument();
    unmount();
    await renderArchon(<DeployPlanView plan={plan({})} />);
    expect(await screen.findByTestId('deploy-plan')).not.toHaveTextContent(
      /instances/,
    );
  });
});
