import {
  formatMetric,
  formatTimeLag,
  middleEllipsis,
  nodeLabel,
} from './nodeLabels';

describe('node labels', () => {
  it('shortens in the middle, keeping start and end', () => {
    expect(middleEllipsis('sample.raw', 18)).toBe('sample.raw');
    const short = middleEllipsis('sample/pipeline/aggregator', 18);
    expect(short).toHaveLength(18);
    expect(short).toBe('sample…/aggregator');
    expect(middleEllipsis('archon-connect-offsets-long', 18)).toBe(
      'archon-c…sets-long',
    );
  });

  it('labels apps by their id without the leading slash', () => {
    expect(
      nodeLabel({
        id: 'app:local/sample/pipeline/enricher',
        kind: 'app',
        name: '/sample/pipeline/enricher',
        system: 'marathon',
      } as any),
    ).toBe('sample/…/enricher');
  });

  it('formats metrics for people', () => {
    expect(formatMetric(0.9998500224966255)).toBe('1');
    expect(formatMetric(0.25)).toBe('0.25');
    expect(formatMetric(12.345)).toBe('12.3');
    expect(formatMetric(1234)).toBe('1.2k');
    expect(formatMetric(45_678)).toBe('46k');
    expect(formatMetric(3_400_000)).toBe('3.4M');
    expect(formatMetric(7)).toBe('7');
  });

  it('writes a time lag the way an operator says it', () => {
    expect(formatTimeLag(0)).toBe('0 s lag');
    expect(formatTimeLag(4_400)).toBe('4 s lag');
    expect(formatTimeLag(59_700)).toBe('1 m lag');
    expect(formatTimeLag(180_000)).toBe('3 m lag');
    expect(formatTimeLag(5_400_000)).toBe('1.5 h lag');
    expect(formatTimeLag(3 * 86_400_000)).toBe('3 d lag');
  });
});
