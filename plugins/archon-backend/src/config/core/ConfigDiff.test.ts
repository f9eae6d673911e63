import { diffEffectiveConfigs, isEmptyConfigDiff } from './ConfigDiff';
import { ConfigResolver } from './ConfigResolver';
import { createConfigTreeSnapshot } from './ConfigTreeSnapshot';

const resolver = new ConfigResolver();

describe('diffEffectiveConfigs', () => {
  it('lists added, removed and changed keys, sorted by key', () => {
    const before = resolver.resolve(
      createConfigTreeSnapshot({
        '/a': { keep: 'same', z: 'old', gone: 'bye', b: '1', host: 'h1' },
        '/a/b': { moved: 'v', url: 'http://${host}' },
      }),
      '/a/b',
    );
    const after = resolver.resolve(
      createConfigTreeSnapshot({
        '/a': { keep: 'same', z: 'new', b: '2', host: 'h2', moved: 'v' },
        '/a/b': { url: 'http://${host}', fresh: '${b}!' },
      }),
      '/a/b',
    );
    expect(diffEffectiveConfigs(before, after)).toEqual({
      added: [
        {
          key: 'fresh',
          value: '2!',
          definedAt: '/a/b',
          substitutedKeys: ['b'],
        },
      ],
      removed: [
        { key: 'gone', value: 'bye', definedAt: '/a', substitutedKeys: [] },
      ],
      changed: [
        {
          key: 'b',
          from: '1',
          to: '2',
          definedAt: '/a',
          previousDefinedAt: '/a',
          substitutedKeys: [],
        },
        {
          key: 'host',
          from: 'h1',
          to: 'h2',
          definedAt: '/a',
          previousDefinedAt: '/a',
          substitutedKeys: [],
        },
        {
          key: 'url',
          from: 'http://h1',
          to: 'http://h2',
          definedAt: '/a/b',
          previousDefinedAt: '/a/b',
          substitutedKeys: ['host'],
        },
        {
          key: 'z',
          from: 'old',
          to: 'new',
          definedAt: '/a',
          previousDefinedAt: '/a',
          substitutedKeys: [],
        },
      ],
    });
  });

  it('reports where a changed value is now defined', () => {
    const snapshot = createConfigTreeSnapshot({ '/a': { k: '1' } });
    const before = resolver.resolve(snapshot, '/a/b');
    const after = resolver.resolve(
      createConfigTreeSnapshot({ '/a': { k: '1' }, '/a/b': { k: '2' } }),
      '/a/b',
    );
    expect(diffEffectiveConfigs(before, after).changed).toEqual([
      {
        key: 'k',
        from: '1',
        to: '2',
        definedAt: '/a/b',
        previousDefinedAt: '/a',
        substitutedKeys: [],
      },
    ]);
  });

  it('is empty for equal values even if a definition moved', () => {
    const before = resolver.resolve(
      createConfigTreeSnapshot({ '/a': { k: '1' } }),
      '/a/b',
    );
    const after = resolver.resolve(
      createConfigTreeSnapshot({ '/a': {}, '/a/b': { k: '1' } }),
      '/a/b',
    );
    const diff = diffEffectiveConfigs(before, after);
    expect(isEmptyConfigDiff(diff)).toBe(true);
  });
});
