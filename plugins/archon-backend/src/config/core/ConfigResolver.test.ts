import { InputError } from '@backstage/errors';
import { ConfigResolutionError } from './ConfigResolutionError';
import { ConfigResolver } from './ConfigResolver';
import { createConfigTreeSnapshot } from './ConfigTreeSnapshot';
import { ConfigResolutionFailure } from './types';

const resolver = new ConfigResolver();

function failureOf(
  snapshot: ReturnType<typeof createConfigTreeSnapshot>,
  path: string,
  using: ConfigResolver = resolver,
): ConfigResolutionFailure {
  const outcome = using.tryResolve(snapshot, path);
  if (outcome.ok) throw new Error('expected resolution to fail');
  return outcome.failure;
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const publishedExample = () =>
  createConfigTreeSnapshot(
    {
      '/foo': { x: '1' },
      '/foo/bar': { y: '2', z: '3' },
      '/foo/bar/service-1': { w: '4', s: '${z}', x: '6' },
    },
    { '/foo': 7, '/foo/bar': 3, '/foo/bar/service-1': 1 },
  );

describe('ConfigResolver', () => {
  it('resolves the published example', () => {
    const config = resolver.resolve(publishedExample(), '/foo/bar/service-1');
    expect(config.properties).toEqual({
      x: '6',
      y: '2',
      z: '3',
      w: '4',
      s: '3',
    });
    expect(Object.keys(config.properties)).toEqual(['s', 'w', 'x', 'y', 'z']);
    expect(config.versions).toEqual({
      '/foo': 7,
      '/foo/bar': 3,
      '/foo/bar/service-1': 1,
    });
  });

  it('resolves shallower paths from fewer levels', () => {
    const snapshot = publishedExample();
    expect(resolver.resolve(snapshot, '/foo').properties).toEqual({ x: '1' });
    expect(resolver.resolve(snapshot, '/foo/bar').properties).toEqual({
      x: '1',
      y: '2',
      z: '3',
    });
  });

  it('resolves paths that are not levels by inheriting', () => {
    const config = resolver.resolve(publishedExample(), '/foo/bar/service-2');
    expect(config.properties).toEqual({ x: '1', y: '2', z: '3' });
    expect(config.versions).toEqual({ '/foo': 7, '/foo/bar': 3 });
  });

  it('includes levels without a set in versions', () => {
    const snapshot = createConfigTreeSnapshot(
      { '/a': null, '/a/b': { k: 'v' } },
      { '/a': 4, '/a/b': 2 },
    );
    const config = resolver.resolve(snapshot, '/a/b');
    expect(config.versions).toEqual({ '/a': 4, '/a/b': 2 });
    expect(config.provenance.k.definedAt).toBe('/a/b');
  });

  it('records provenance with shadowed definitions nearest first', () => {
    const snapshot = createConfigTreeSnapshot({
      '/a': { k: 'top', only: 'here' },
      '/a/b': { k: 'middle' },
      '/a/b/c': null,
      '/a/b/c/d': { k: '${only}-deep' },
    });
    const config = resolver.resolve(snapshot, '/a/b/c/d');
    expect(config.properties.k).toBe('here-deep');
    expect(config.provenance.k).toEqual({
      definedAt: '/a/b/c/d',
      raw: '${only}-deep',
      shadowed: [
        { path: '/a/b', raw: 'middle' },
        { path: '/a', raw: 'top' },
      ],
    });
    expect(config.provenance.only).toEqual({
      definedAt: '/a',
      raw: 'here',
      shadowed: [],
    });
  });

  it('binds references late, to the deepest override for the resolved path', () => {
    const snapshot = createConfigTreeSnapshot({
      '/foo': {
        host: 'db.example.com',
        url: 'jdbc://${host}:${port}/app',
        port: '5432',
      },
      '/foo/bar/service-1': { host: 'db1.example.com' },
    });
    expect(resolver.resolve(snapshot, '/foo').properties.url).toBe(
      'jdbc://db.example.com:5432/app',
    );
    const config = resolver.resolve(snapshot, '/foo/bar/service-1');
    expect(config.properties.url).toBe('jdbc://db1.example.com:5432/app');
    expect(config.provenance.url.definedAt).toBe('/foo');
  });

  it('resolves chains a → b → c', () => {
    const snapshot = createConfigTreeSnapshot({
      '/p': { a: '[${b}]', c: 'end' },
      '/p/q': { b: '(${c})' },
    });
    expect(resolver.resolve(snapshot, '/p/q').properties).toEqual({
      a: '[(end)]',
      b: '(end)',
      c: 'end',
    });
  });

  it('substitutes a key referenced many times once', () => {
    const snapshot = createConfigTreeSnapshot({
      '/p': { a: '${b}${b}${b}', b: '${c}-', c: 'x' },
    });
    expect(resolver.resolve(snapshot, '/p').properties.a).toBe('x-x-x-');
  });

  it('turns $${ into a literal ${ that is not a reference', () => {
    const snapshot = createConfigTreeSnapshot({
      '/p': {
        literal: 'cost: $${price}',
        mixed: '$${a}=${a}',
        dollars: 'a $ b $$ c $$$${a}',
        a: '1',
        viaReference: '${literal}',
      },
    });
    const properties = resolver.resolve(snapshot, '/p').properties;
    expect(properties.literal).toBe('cost: ${price}');
    expect(properties.mixed).toBe('${a}=1');
    // Left to right: "$$" + "$${" + "a}" -> "$$${a}"
    expect(properties.dollars).toBe('a $ b $$ c $$${a}');
    // Substituted values are not scanned again.
    expect(properties.viaReference).toBe('cost: ${price}');
  });

  it('reports a missing key, naming it, the referrer and where it was written', () => {
    const snapshot = createConfigTreeSnapshot({
      '/foo': { s: 'value: ${nope}' },
      '/foo/bar': { t: 'ok' },
    });
    const error = thrownBy(() => resolver.resolve(snapshot, '/foo/bar'));
    expect(ConfigResolutionError.is(error)).toBe(true);
    const details = (error as ConfigResolutionError).details;
    expect(details.problems).toEqual([
      {
        kind: 'missing-key',
        key: 'nope',
        referencedBy: 's',
        writtenAt: '/foo',
        message:
          'key "s" (written at "/foo") references "${nope}", but "nope" is not defined for "/foo/bar"',
      },
    ]);
    expect(details.unresolvedKeys).toEqual(['s']);
    expect((error as Error).message).toBe(
      'Cannot resolve the configuration of "/foo/bar": 1 problem: key "s" (written at "/foo") references "${nope}", but "nope" is not defined for "/foo/bar"',
    );
  });

  it('is a CustomErrorBase named ConfigResolutionError', () => {
    const snapshot = createConfigTreeSnapshot({ '/foo': { s: '${nope}' } });
    const caught = thrownBy(() => resolver.resolve(snapshot, '/foo'));
    expect(caught).toBeInstanceOf(ConfigResolutionError);
    expect((caught as Error).name).toBe('ConfigResolutionError');
  });

  it('reports a cycle, naming the loop and where each reference was written', () => {
    const snapshot = createConfigTreeSnapshot({
      '/foo': { a: 'x${b}' },
      '/foo/bar': { b: 'y${a}', c: '${a}', d: 'fine' },
    });
    const failure = failureOf(snapshot, '/foo/bar');
    expect(failure.problems).toEqual([
      {
        kind: 'cycle',
        cycle: ['a', 'b', 'a'],
        references: [
          { key: 'a', writtenAt: '/foo' },
          { key: 'b', writtenAt: '/foo/bar' },
        ],
        message:
          'references form a cycle a → b → a ("a" written at "/foo", "b" written at "/foo/bar")',
      },
    ]);
    // c depends on the loop, so it cannot be resolved either; d is fine.
    expect(failure.unresolvedKeys).toEqual(['a', 'b', 'c']);
  });

  it('only forms a cycle for the path where the overrides meet', () => {
    const snapshot = createConfigTreeSnapshot({
      '/foo': { a: '${b}', b: 'base' },
      '/foo/bar': { b: '${a}' },
    });
    expect(resolver.resolve(snapshot, '/foo').properties.a).toBe('base');
    expect(failureOf(snapshot, '/foo/bar').problems[0]).toMatchObject({
      kind: 'cycle',
      cycle: ['a', 'b', 'a'],
    });
  });

  it('reports a self-reference as a cycle', () => {
    const snapshot = createConfigTreeSnapshot({
      '/foo': { a: 'pre-${a}-post' },
    });
    const failure = failureOf(snapshot, '/foo');
    expect(failure.problems).toEqual([
      expect.objectContaining({
        kind: 'cycle',
        cycle: ['a', 'a'],
        references: [{ key: 'a', writtenAt: '/foo' }],
      }),
    ]);
    expect(failure.problems[0].message).toMatch(/cycle a → a/);
  });

  it('reports a longer cycle once', () => {
    const snapshot = createConfigTreeSnapshot({
      '/foo': { a: '${b}${b}', b: '${c}', c: '${a}' },
    });
    const failure = failureOf(snapshot, '/foo');
    expect(failure.problems.map(p => p.kind)).toEqual(['cycle']);
    expect(failure.problems[0]).toMatchObject({ cycle: ['a', 'b', 'c', 'a'] });
  });

  it('reports every problem of one resolution together', () => {
    const snapshot = createConfigTreeSnapshot({
      '/foo': { m1: '${gone}', loop1: '${loop2}' },
      '/foo/bar': {
        loop2: '${loop1}',
        m2: '${gone} and ${alsoGone} and ${gone}',
        open: 'oops ${unclosed',
        bad: 'x ${not a key} y',
        empty: '${}',
        ok: 'fine',
      },
    });
    const failure = failureOf(snapshot, '/foo/bar');
    expect(
      failure.problems.map(p => {
        switch (p.kind) {
          case 'missing-key':
            return `missing ${p.key} by ${p.referencedBy} at ${p.writtenAt}`;
          case 'cycle':
            return `cycle ${p.cycle.join(' → ')}`;
          case 'unterminated-reference':
            return `unterminated ${p.key}@${p.offset} at ${p.writtenAt}`;
          case 'invalid-reference':
            return `invalid ${JSON.stringify(p.reference)} in ${p.key}@${
              p.offset
            }`;
          default:
            return p.kind;
        }
      }),
    ).toEqual([
      'invalid "not a key" in bad@2',
      'invalid "" in empty@0',
      'cycle loop1 → loop2 → loop1',
      'missing gone by m1 at /foo',
      'missing gone by m2 at /foo/bar',
      'missing alsoGone by m2 at /foo/bar',
      'unterminated open@5 at /foo/bar',
    ]);
    expect(failure.unresolvedKeys).toEqual([
      'bad',
      'empty',
      'loop1',
      'loop2',
      'm1',
      'm2',
      'open',
    ]);
    expect(() => resolver.resolve(snapshot, '/foo/bar')).toThrow(
      /7 problems: /,
    );
  });

  it('explains how to write a literal ${ when a reference is unterminated', () => {
    const snapshot = createConfigTreeSnapshot({ '/foo': { a: 'x ${y' } });
    expect(failureOf(snapshot, '/foo').problems[0].message).toBe(
      'key "a" (written at "/foo") has an unterminated "${" at offset 2; write "$${" for a literal "${"',
    );
  });

  it('stops values that grow past the limit', () => {
    const levels: Record<string, string> = { k0: 'xxxxxxxxxx' };
    for (let i = 1; i <= 20; i++)
      levels[`k${i}`] = `\${k${i - 1}}\${k${i - 1}}`;
    const snapshot = createConfigTreeSnapshot({ '/bomb': levels });
    const failure = failureOf(
      snapshot,
      '/bomb',
      new ConfigResolver({ maxResolvedValueLength: 100_000 }),
    );
    expect(failure.problems).toEqual([
      expect.objectContaining({
        kind: 'value-too-large',
        key: 'k14',
        limit: 100_000,
      }),
    ]);
    expect(failure.unresolvedKeys).toHaveLength(7);
  });

  it('keeps keys such as __proto__ as plain keys', () => {
    const snapshot = createConfigTreeSnapshot({
      '/foo': JSON.parse('{"__proto__": "p", "a": "${__proto__}"}'),
    });
    const config = resolver.resolve(snapshot, '/foo');
    expect(Object.getPrototypeOf(config.properties)).toBe(Object.prototype);
    expect(Object.keys(config.properties)).toEqual(['__proto__', 'a']);
    expect(config.properties.a).toBe('p');
  });

  it('rejects invalid paths with InputError', () => {
    expect(() => resolver.resolve(new Map(), '/foo/')).toThrow(InputError);
    expect(() => resolver.resolve(new Map(), '/')).toThrow(InputError);
  });

  it('does not change the snapshot', () => {
    const snapshot = publishedExample();
    const before = JSON.stringify([...snapshot]);
    resolver.resolve(snapshot, '/foo/bar/service-1');
    resolver.tryResolve(snapshot, '/foo/bar/service-1');
    expect(JSON.stringify([...snapshot])).toBe(before);
  });

  it('returns fresh provenance objects on every call', () => {
    const snapshot = createConfigTreeSnapshot({
      '/a': { k: '1' },
      '/a/b': { k: '2' },
    });
    const first = resolver.resolve(snapshot, '/a/b');
    first.provenance.k.shadowed.push({ path: '/x', raw: 'tampered' });
    expect(resolver.resolve(snapshot, '/a/b').provenance.k.shadowed).toEqual([
      { path: '/a', raw: '1' },
    ]);
  });

  it('handles long chains without deep recursion', () => {
    const properties: Record<string, string> = { k0: 'x' };
    for (let i = 1; i <= 20_000; i++) properties[`k${i}`] = `\${k${i - 1}}`;
    const snapshot = createConfigTreeSnapshot({ '/chain': properties });
    expect(resolver.resolve(snapshot, '/chain').properties.k20000).toBe('x');
  });

  it('resolves 10,000 application paths', () => {
    const sets: Record<string, Record<string, string>> = {
      '/env': Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`base.${i}`, `v${i}`]),
      ),
    };
    for (let team = 0; team < 100; team++) {
      sets[`/env/team-${team}`] = {
        'db.host': `db-${team}`,
        'db.url': 'jdbc://${db.host}:${db.port}/${app.name}',
        'db.port': '5432',
      };
      for (let app = 0; app < 100; app++) {
        sets[`/env/team-${team}/app-${app}`] = {
          'app.name': `app-${app}`,
          'base.1': '${base.2}-override',
        };
      }
    }
    const snapshot = createConfigTreeSnapshot(sets);
    let count = 0;
    for (let team = 0; team < 100; team++) {
      for (let app = 0; app < 100; app++) {
        const config = resolver.resolve(
          snapshot,
          `/env/team-${team}/app-${app}`,
        );
        if (
          config.properties['db.url'] === `jdbc://db-${team}:5432/app-${app}`
        ) {
          count++;
        }
      }
    }
    // Every path resolves, through two levels of substitution. How fast is
    // measured by `bench:config`, not asserted: a loaded machine took 10.6 s
    // for what an idle one does in under one.
    expect(count).toBe(10_000);
  });
});
