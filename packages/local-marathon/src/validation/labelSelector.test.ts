import { parseLabelSelector } from './labelSelector';

describe('label selectors', () => {
  const labels = { env: 'prod', tier: 'frontend', 'a b': 'x,y' };

  it.each([
    ['env', true],
    ['missing', false],
    ['env==prod', true],
    ['env==stage', false],
    ['tier!=backend', true],
    ['env in (stage, prod)', true],
    ['env notin (stage, prod)', false],
    ['env==prod,tier==frontend', true],
    ['env==prod, tier==backend', false],
    ['a\\ b==x\\,y', true],
  ])('%s -> %s', (query, expected) => {
    expect(parseLabelSelector(query)(labels)).toBe(expected);
  });

  it('rejects garbage', () => {
    expect(() => parseLabelSelector('env===')).toThrow(
      /Can not parse label selector/,
    );
  });
});
