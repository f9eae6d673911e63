import { InputError } from '@backstage/errors';
import {
  ancestorsOf,
  compareConfigPaths,
  formatConfigPath,
  isPrefixOf,
  isValidConfigPath,
  parentOf,
  parseConfigPath,
} from './ConfigPath';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseConfigPath', () => {
  it('splits valid paths into segments', () => {
    expect(parseConfigPath('/foo')).toEqual(['foo']);
    expect(parseConfigPath('/foo/bar/service-1')).toEqual([
      'foo',
      'bar',
      'service-1',
    ]);
    expect(parseConfigPath('/A_b-9/x')).toEqual(['A_b-9', 'x']);
  });

  it('rejects an empty segment, naming it and its position', () => {
    expect(messageOf(() => parseConfigPath('/foo//bar'))).toBe(
      'Invalid configuration path "/foo//bar": segment 2 is empty; each segment is one or more of A-Z a-z 0-9 _ -',
    );
  });

  it.each([
    ['', /"": the path is empty; it must start with "\/"/],
    ['foo/bar', /"foo\/bar": it must start with "\/"/],
    ['/foo/', /"\/foo\/": segment 2 is empty \(trailing slash\)/],
    ['/foo//bar', /segment 2 is empty;/],
    ['/foo/../bar', /segment 2 is "\.\."; relative segments are not allowed/],
    ['/foo/./bar', /segment 2 is "\."; relative segments are not allowed/],
    ['/foo/b ar', /segment 2 "b ar" contains " " \(U\+0020\) at character 2/],
    ['/café', /segment 1 "café" contains "é" \(U\+00E9\) at character 4/],
    ['/a/😀', /segment 2 "😀" contains "😀" \(U\+1F600\) at character 1/],
    ['/foo.bar', /segment 1 "foo\.bar" contains "\." \(U\+002E\)/],
    ['/', /"\/": the root "\/" is not a configuration path/],
    ['//', /"\/\/": segment 1 is empty/],
  ])('rejects %j', (path, expected) => {
    const message = messageOf(() => parseConfigPath(path));
    expect(message).toMatch(expected);
    expect(message).toContain('each segment is one or more of A-Z a-z 0-9 _ -');
  });

  it('rejects non-strings', () => {
    expect(messageOf(() => parseConfigPath(undefined as any))).toMatch(
      /expected a string, got undefined/,
    );
  });
});

describe('isValidConfigPath', () => {
  it('agrees with parseConfigPath', () => {
    expect(isValidConfigPath('/foo/bar')).toBe(true);
    for (const bad of ['', '/', 'foo', '/foo/', '/a//b', '/..', '/a b']) {
      expect(isValidConfigPath(bad)).toBe(false);
    }
  });
});

describe('formatConfigPath', () => {
  it('joins segments', () => {
    expect(formatConfigPath(['foo', 'bar'])).toBe('/foo/bar');
  });

  it('rejects no segments and bad segments', () => {
    expect(messageOf(() => formatConfigPath([]))).toMatch(
      /root "\/" is not a configuration path/,
    );
    expect(messageOf(() => formatConfigPath(['foo', 'a/b']))).toMatch(
      /segment 2 "a\/b" contains "\/"/,
    );
    expect(messageOf(() => formatConfigPath(['foo', '']))).toMatch(
      /segment 2 is empty/,
    );
  });

  it('round-trips with parseConfigPath', () => {
    const path = '/foo/bar/service-1';
    expect(formatConfigPath(parseConfigPath(path))).toBe(path);
  });
});

describe('ancestorsOf', () => {
  it('lists every prefix, shallowest first, ending with the path', () => {
    expect(ancestorsOf('/foo/bar/s')).toEqual([
      '/foo',
      '/foo/bar',
      '/foo/bar/s',
    ]);
    expect(ancestorsOf('/foo')).toEqual(['/foo']);
  });

  it('validates', () => {
    expect(() => ancestorsOf('/foo/')).toThrow(InputError);
  });
});

describe('parentOf', () => {
  it('returns the parent or undefined at the top', () => {
    expect(parentOf('/foo/bar')).toBe('/foo');
    expect(parentOf('/foo')).toBeUndefined();
  });
});

describe('isPrefixOf', () => {
  it('is segment-aware', () => {
    expect(isPrefixOf('/foo', '/foo')).toBe(true);
    expect(isPrefixOf('/foo', '/foo/bar')).toBe(true);
    expect(isPrefixOf('/foo', '/foobar')).toBe(false);
    expect(isPrefixOf('/foo/bar', '/foo')).toBe(false);
    expect(isPrefixOf('/foo-x', '/foo')).toBe(false);
  });

  it('validates both arguments', () => {
    expect(() => isPrefixOf('/foo/', '/foo/bar')).toThrow(InputError);
    expect(() => isPrefixOf('/foo', 'foo/bar')).toThrow(InputError);
  });
});

describe('compareConfigPaths', () => {
  it('orders parents before children and siblings by name', () => {
    expect(
      ['/foo/bar', '/foo-x', '/foo', '/a/b', '/a'].sort(compareConfigPaths),
    ).toEqual(['/a', '/a/b', '/foo', '/foo/bar', '/foo-x']);
  });
});
