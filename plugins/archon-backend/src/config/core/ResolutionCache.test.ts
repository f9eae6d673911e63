import { InputError } from '@backstage/errors';
import { ConfigResolutionError } from './ConfigResolutionError';
import { ConfigResolver } from './ConfigResolver';
import { createConfigTreeSnapshot } from './ConfigTreeSnapshot';
import { ResolutionCache } from './ResolutionCache';

// The example: /foo x=1; /foo/bar y=2, z=3; /foo/bar/service-1 w=4, s=${z}, x=6.
const example = () =>
  createConfigTreeSnapshot({
    '/foo': { x: '1' },
    '/foo/bar': { y: '2', z: '3' },
    '/foo/bar/service-1': { w: '4', s: '${z}', x: '6' },
    '/foo/other': { q: '1' },
  });

describe('ResolutionCache', () => {
  it('answers the same outcome while the chain is unchanged, and the resolver would have answered it', () => {
    const snapshot = example();
    const cache = new ResolutionCache(new ConfigResolver());
    const first = cache.resolve(snapshot, '/foo/bar/service-1');
    expect(first.properties).toEqual({
      x: '6',
      y: '2',
      z: '3',
      w: '4',
      s: '3',
    });
    expect(first).toEqual(
      new ConfigResolver().resolve(snapshot, '/foo/bar/service-1'),
    );
    expect(cache.resolve(snapshot, '/foo/bar/service-1')).toBe(first);
  });

  it('sees a changed level anywhere up the chain, and ignores changes beside it', () => {
    const snapshot = example();
    const cache = new ResolutionCache(new ConfigResolver());
    const first = cache.resolve(snapshot, '/foo/bar/service-1');

    // A sibling level is not on the chain: still the remembered outcome.
    snapshot.set('/foo/other', {
      properties: { q: '2' },
      version: 1,
      hasSet: true,
    });
    expect(cache.resolve(snapshot, '/foo/bar/service-1')).toBe(first);

    // The cache replaces a level's object on every change: /foo/bar z=30.
    snapshot.set('/foo/bar', {
      properties: { y: '2', z: '30' },
      version: 1,
      hasSet: true,
    });
    const second = cache.resolve(snapshot, '/foo/bar/service-1');
    expect(second.properties.s).toBe('30');
    expect(second.versions['/foo/bar']).toBe(1);

    // A removed level counts as a change too: without /foo/bar, s=${z} has nothing to bind to.
    snapshot.delete('/foo/bar');
    const third = cache.tryResolve(snapshot, '/foo/bar/service-1');
    expect(third.ok).toBe(false);
    expect(!third.ok && third.failure.unresolvedKeys).toEqual(['s']);
  });

  it('remembers failures too, and stops failing once the level is fixed', () => {
    const snapshot = createConfigTreeSnapshot({
      '/a': { url: 'http://${host}' },
    });
    const cache = new ResolutionCache(new ConfigResolver());
    const failed = cache.tryResolve(snapshot, '/a');
    expect(failed.ok).toBe(false);
    expect(cache.tryResolve(snapshot, '/a')).toBe(failed);
    expect(() => cache.resolve(snapshot, '/a')).toThrow(ConfigResolutionError);
    snapshot.set('/a', {
      properties: { url: 'http://${host}', host: 'h' },
      version: 1,
      hasSet: true,
    });
    expect(cache.resolve(snapshot, '/a').properties.url).toBe('http://h');
  });

  it('hands out frozen outcomes, so no caller can change what the next one reads', () => {
    const cache = new ResolutionCache(new ConfigResolver());
    const effective = cache.resolve(example(), '/foo/bar/service-1');
    expect(() => {
      (effective.properties as Record<string, string>).x = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      effective.provenance.x.shadowed.push({ path: '/x', raw: 'y' });
    }).toThrow(TypeError);
  });

  it('keeps each snapshot apart and forgets the oldest paths past its bound', () => {
    const resolver = new ConfigResolver();
    const spy = jest.spyOn(resolver, 'tryResolve');
    const cache = new ResolutionCache(resolver, 2);
    const snapshot = example();
    cache.resolve(snapshot, '/foo');
    cache.resolve(snapshot, '/foo/bar');
    cache.resolve(snapshot, '/foo/bar/service-1'); // forgets /foo
    expect(spy).toHaveBeenCalledTimes(3);
    cache.resolve(snapshot, '/foo/bar/service-1');
    cache.resolve(snapshot, '/foo/bar');
    expect(spy).toHaveBeenCalledTimes(3);
    cache.resolve(snapshot, '/foo');
    expect(spy).toHaveBeenCalledTimes(4);
    // Another snapshot (an impact analysis' "after" tree) resolves on its own.
    cache.resolve(example(), '/foo/bar');
    expect(spy).toHaveBeenCalledTimes(5);
  });

  it('throws for an invalid path and does not remember it', () => {
    const cache = new ResolutionCache(new ConfigResolver());
    expect(() => cache.tryResolve(example(), 'foo')).toThrow(InputError);
    expect(() => cache.tryResolve(example(), 'foo')).toThrow(InputError);
  });
});
