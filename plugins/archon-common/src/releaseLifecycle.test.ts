import { releaseStates } from './releaseLifecycle';

const release = (
  id: string,
  status: string,
  createdAt: string,
  target: Record<string, unknown> = {},
) => ({
  id,
  status,
  createdAt,
  target: { instance: 'local', ...target },
});

describe('releaseStates', () => {
  const r1 = release('rel-1', 'deployed', '2026-01-01T00:00:01Z');
  const r2 = release('rel-2', 'deployed', '2026-01-01T00:00:02Z');
  const r3 = release('rel-3', 'failed', '2026-01-01T00:00:03Z');
  const r4 = release('rel-4', 'deployed', '2026-01-01T00:00:04Z', {
    rollbackOf: 'rel-1',
    rolledBackFrom: 'rel-2',
  });

  it('deploy → deploy: the running one is live, the earlier superseded', () => {
    expect(
      releaseStates([r2, r1], { exists: true, releaseId: 'rel-2' }),
    ).toEqual({ 'rel-2': 'live', 'rel-1': 'superseded' });
  });

  it('→ failed deploy → rollback: the rollback is live, what it replaced rolled-back', () => {
    expect(
      releaseStates([r4, r3, r2, r1], { exists: true, releaseId: 'rel-4' }),
    ).toEqual({
      'rel-4': 'live',
      'rel-3': 'failed',
      'rel-2': 'rolled-back',
      'rel-1': 'superseded',
    });
  });

  it('→ destroy: the release that was live is destroyed, none is live', () => {
    expect(releaseStates([r4, r3, r2, r1], { exists: false })).toEqual({
      'rel-4': 'destroyed',
      'rel-3': 'failed',
      'rel-2': 'rolled-back',
      'rel-1': 'superseded',
    });
  });

  it('a deploy under way is deploying', () => {
    expect(
      releaseStates(
        [release('rel-5', 'deploying', '2026-01-01T00:00:05Z'), r1],
        { exists: true, releaseId: 'rel-1' },
      ),
    ).toEqual({
      'rel-5': 'deploying',
      'rel-1': 'live',
    });
  });
});
