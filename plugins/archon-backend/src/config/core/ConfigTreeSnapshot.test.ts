import {
  createConfigTreeSnapshot,
  listConfigPaths,
  listConfigPathsAtOrBelow,
} from './ConfigTreeSnapshot';

describe('createConfigTreeSnapshot', () => {
  it('adds missing ancestors as levels without a set', () => {
    const snapshot = createConfigTreeSnapshot(
      { '/a/b/c': { k: 'v' }, '/x': null },
      { '/a/b/c': 5, '/a': 2 },
    );
    expect(Object.fromEntries(snapshot)).toEqual({
      '/a': { properties: {}, version: 2, hasSet: false },
      '/a/b': { properties: {}, version: 0, hasSet: false },
      '/a/b/c': { properties: { k: 'v' }, version: 5, hasSet: true },
      '/x': { properties: {}, version: 0, hasSet: false },
    });
  });

  it('copies the sets', () => {
    const set = { k: 'v' };
    const snapshot = createConfigTreeSnapshot({ '/a': set });
    set.k = 'changed';
    expect(snapshot.get('/a')!.properties).toEqual({ k: 'v' });
  });

  it('rejects invalid paths', () => {
    expect(() => createConfigTreeSnapshot({ '/a/': {} })).toThrow(
      /Invalid configuration path/,
    );
  });
});

describe('listing paths', () => {
  const snapshot = createConfigTreeSnapshot({
    '/foo/bar/s1': {},
    '/foo-x': {},
    '/foo/baz': null,
    '/other': {},
  });

  it('lists every level, parents first', () => {
    expect(listConfigPaths(snapshot)).toEqual([
      '/foo',
      '/foo/bar',
      '/foo/bar/s1',
      '/foo/baz',
      '/foo-x',
      '/other',
    ]);
  });

  it('lists a level and the levels below it', () => {
    expect(listConfigPathsAtOrBelow(snapshot, '/foo')).toEqual([
      '/foo',
      '/foo/bar',
      '/foo/bar/s1',
      '/foo/baz',
    ]);
    expect(listConfigPathsAtOrBelow(snapshot, '/nope')).toEqual([]);
  });
});
