import { InputError } from '@backstage/errors';
import { ConfigImpactAnalyzer } from './ConfigImpactAnalyzer';
import { createConfigTreeSnapshot } from './ConfigTreeSnapshot';

const analyzer = new ConfigImpactAnalyzer();

const tree = () =>
  createConfigTreeSnapshot({
    '/foo': { x: '1', greeting: 'hello ${name}', name: 'world' },
    '/foo/bar': { y: '2', z: '3' },
    '/foo/bar/service-1': { w: '4', s: '${z}', x: '6' },
    '/foo/bar/service-2': { name: 'two' },
    '/foo/baz': { z: '9' },
    '/other': { x: 'o' },
  });

describe('ConfigImpactAnalyzer', () => {
  it('reports a direct change at the level and below, omitting untouched paths', () => {
    const report = analyzer.analyze(tree(), '/foo/bar', {
      y: '2',
      z: '30',
    });
    expect(report.levelPath).toBe('/foo/bar');
    expect(report.operation).toBe('set');
    expect(report.pathsAnalyzed).toBe(3);
    expect(report.changed.map(c => c.path)).toEqual([
      '/foo/bar',
      '/foo/bar/service-1',
      '/foo/bar/service-2',
    ]);
    // service-1 sees z change directly and s change through ${z}.
    expect(report.changed[1].diff.changed).toEqual([
      {
        key: 's',
        from: '3',
        to: '30',
        definedAt: '/foo/bar/service-1',
        previousDefinedAt: '/foo/bar/service-1',
        substitutedKeys: ['z'],
      },
      {
        key: 'z',
        from: '3',
        to: '30',
        definedAt: '/foo/bar',
        previousDefinedAt: '/foo/bar',
        substitutedKeys: [],
      },
    ]);
    // The sibling /foo/baz and the unrelated /other are not listed.
    expect(report.startsFailing).toEqual([]);
    expect(report.stopsFailing).toEqual([]);
    expect(report.stillFailing).toEqual([]);
  });

  it('finds changes that reach a deeper level only through a chain', () => {
    const report = analyzer.analyze(tree(), '/foo', {
      x: '1',
      greeting: 'hi ${name}',
      name: 'world',
    });
    const byPath = Object.fromEntries(
      report.changed.map(c => [c.path, c.diff.changed]),
    );
    expect(byPath['/foo/bar/service-2']).toEqual([
      {
        key: 'greeting',
        from: 'hello two',
        to: 'hi two',
        definedAt: '/foo',
        previousDefinedAt: '/foo',
        substitutedKeys: ['name'],
      },
    ]);
    expect(byPath['/foo'][0]).toMatchObject({
      from: 'hello world',
      to: 'hi world',
    });
    expect(report.pathsAnalyzed).toBe(5);
  });

  it('reports a change at a deeper level caused by a removed override', () => {
    const report = analyzer.analyze(tree(), '/foo', {
      x: '1',
      greeting: 'hello ${name}',
      name: 'everyone',
    });
    // service-2 overrides name, so only the other paths change.
    expect(report.changed.map(c => c.path)).toEqual([
      '/foo',
      '/foo/bar',
      '/foo/bar/service-1',
      '/foo/baz',
    ]);
    expect(report.changed[2].diff.changed.map(c => c.key)).toEqual([
      'greeting',
      'name',
    ]);
  });

  it('reports paths that would start failing, with the error details', () => {
    const report = analyzer.analyze(tree(), '/foo/bar', { y: '2' });
    expect(report.startsFailing).toEqual([
      {
        path: '/foo/bar/service-1',
        failure: expect.objectContaining({
          path: '/foo/bar/service-1',
          unresolvedKeys: ['s'],
          problems: [
            expect.objectContaining({
              kind: 'missing-key',
              key: 'z',
              referencedBy: 's',
              writtenAt: '/foo/bar/service-1',
            }),
          ],
        }),
      },
    ]);
    expect(report.changed.map(c => c.path)).toEqual([
      '/foo/bar',
      '/foo/bar/service-2',
    ]);
    expect(report.changed[0].diff.removed).toEqual([
      { key: 'z', value: '3', definedAt: '/foo/bar', substitutedKeys: [] },
    ]);
  });

  it('reports paths that would stop failing', () => {
    const snapshot = createConfigTreeSnapshot({
      '/a': { url: '${host}/x' },
      '/a/b': { other: '1' },
    });
    const report = analyzer.analyze(snapshot, '/a/b', {
      other: '1',
      host: 'h',
    });
    expect(report.stopsFailing).toEqual([
      {
        path: '/a/b',
        previousFailure: expect.objectContaining({
          problems: [
            expect.objectContaining({ kind: 'missing-key', key: 'host' }),
          ],
        }),
      },
    ]);
    expect(report.changed).toEqual([]);
  });

  it('reports failures that change while still failing', () => {
    const snapshot = createConfigTreeSnapshot({
      '/a': { url: '${host}' },
    });
    const report = analyzer.analyze(snapshot, '/a', { url: '${port}' });
    expect(report.stillFailing).toHaveLength(1);
    expect(report.stillFailing[0].previousFailure.problems[0]).toMatchObject({
      key: 'host',
    });
    expect(report.stillFailing[0].failure.problems[0]).toMatchObject({
      key: 'port',
    });
  });

  it('analyses deleting a level’s set', () => {
    const report = analyzer.analyze(tree(), '/foo/bar/service-1', null);
    expect(report.operation).toBe('delete');
    expect(report.pathsAnalyzed).toBe(1);
    expect(report.changed).toEqual([
      {
        path: '/foo/bar/service-1',
        diff: {
          added: [],
          removed: [
            {
              key: 's',
              value: '3',
              definedAt: '/foo/bar/service-1',
              substitutedKeys: ['z'],
            },
            {
              key: 'w',
              value: '4',
              definedAt: '/foo/bar/service-1',
              substitutedKeys: [],
            },
          ],
          changed: [
            {
              key: 'x',
              from: '6',
              to: '1',
              definedAt: '/foo',
              previousDefinedAt: '/foo/bar/service-1',
              substitutedKeys: [],
            },
          ],
        },
      },
    ]);
  });

  it('analyses deleting a level that others depend on', () => {
    const report = analyzer.analyze(tree(), '/foo/bar', null);
    expect(report.startsFailing.map(f => f.path)).toEqual([
      '/foo/bar/service-1',
    ]);
    expect(report.changed.map(c => c.path)).toEqual([
      '/foo/bar',
      '/foo/bar/service-2',
    ]);
  });

  it('reports nothing when deleting a level without a set', () => {
    const report = analyzer.analyze(tree(), '/nowhere', null);
    expect(report).toEqual({
      levelPath: '/nowhere',
      operation: 'delete',
      pathsAnalyzed: 0,
      changed: [],
      startsFailing: [],
      stopsFailing: [],
      stillFailing: [],
    });
  });

  it('includes a level that the change creates', () => {
    const report = analyzer.analyze(tree(), '/foo/new/app', { x: '7' });
    expect(report.changed).toEqual([
      {
        path: '/foo/new/app',
        diff: {
          added: [],
          removed: [],
          changed: [expect.objectContaining({ key: 'x', from: '1', to: '7' })],
        },
      },
    ]);
  });

  it('never changes the input snapshot', () => {
    const snapshot = tree();
    const before = JSON.stringify([...snapshot]);
    analyzer.analyze(snapshot, '/foo/bar', { y: 'changed' });
    analyzer.analyze(snapshot, '/foo', null);
    analyzer.analyze(snapshot, '/foo/new', { a: 'b' });
    expect(JSON.stringify([...snapshot])).toBe(before);
  });

  it('validates the path and the proposed set', () => {
    expect(() => analyzer.analyze(tree(), '/foo/', { a: '1' })).toThrow(
      InputError,
    );
    expect(() =>
      analyzer.analyze(tree(), '/foo', { 'bad key': '1' } as any),
    ).toThrow(/Invalid configuration key "bad key"/);
    expect(() => analyzer.analyze(tree(), '/foo', { a: 1 } as any)).toThrow(
      /values must be strings/,
    );
  });
});
