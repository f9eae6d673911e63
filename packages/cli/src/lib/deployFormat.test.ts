import type { DeployPlan } from '@archon/plugin-archon-common';
import { formatPlan } from './deployFormat';
import { makeColors } from './output';

describe('formatPlan: a scale through archon', () => {
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

  it('prints the sentence when the deploy changes the scaled instances', () => {
    const text = formatPlan(
      plan({
        scale: {
          ...scale,
          change: `instances: 2 → 1 (scaled by user:default/ann at 2026-12-04T23:00:00.000Z)`,
        },
      }),
      makeColors(false),
    );
    expect(text).toContain(
      '\n  instances: 2 → 1 (scaled by user:default/ann at 2026-12-04T23:00:00.000Z)',
    );
  });

  it('says the deploy keeps the scaled instances when the configuration sets none', () => {
    expect(formatPlan(plan({ scale }), makeColors(false))).toContain(
      'instances: 2 kept (scaled by user:default/ann at 2026-12-04T23:00:00.000Z; the configuration sets none)',
    );
    expect(formatPlan(plan({}), makeColors(false))).not.toMatch(/instances/);
  });
});
