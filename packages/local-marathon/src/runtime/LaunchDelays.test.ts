import { LaunchDelays } from './LaunchDelays';
import { AppDefinition } from '../model/types';

const app = (overrides: Partial<AppDefinition> = {}) =>
  ({
    id: '/a',
    backoffSeconds: 10,
    backoffFactor: 2,
    maxLaunchDelaySeconds: 30,
    versionInfo: { lastScalingAt: 'x', lastConfigChangeAt: 'v1' },
    ...overrides,
  } as AppDefinition);

describe('LaunchDelays', () => {
  it('starts at backoffSeconds, grows by the factor and caps at maxLaunchDelaySeconds', () => {
    const delays = new LaunchDelays();
    expect(delays.remainingMs(app())).toBe(0);
    delays.increase(app());
    expect(delays.remainingMs(app())).toBeGreaterThan(9_000);
    expect(delays.remainingMs(app())).toBeLessThanOrEqual(10_000);
    delays.increase(app());
    expect(delays.remainingMs(app())).toBeGreaterThan(19_000);
    delays.increase(app());
    expect(delays.remainingMs(app())).toBeLessThanOrEqual(30_000);
    expect(delays.remainingMs(app())).toBeGreaterThan(29_000);
  });

  it('forgets delays on a config change or reset', () => {
    const delays = new LaunchDelays();
    delays.increase(app());
    expect(
      delays.remainingMs(
        app({ versionInfo: { lastScalingAt: 'x', lastConfigChangeAt: 'v2' } }),
      ),
    ).toBe(0);
    delays.increase(app());
    delays.reset('/a');
    expect(delays.remainingMs(app())).toBe(0);
  });
});
