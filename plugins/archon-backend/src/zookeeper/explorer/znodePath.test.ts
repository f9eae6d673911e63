import {
  ancestorsOfZnode,
  assertWritableZnode,
  isAtOrBelow,
  joinZnode,
  nameOf,
  parentOf,
  validateZnodePath,
} from './znodePath';

describe('validateZnodePath', () => {
  it.each([
    '/',
    '/a',
    '/a/b-c_d.e',
    '/brokers/ids/0',
    '/with space',
    '/%41',
    '/grüße',
    '/…',
    '/a/.hidden',
    '/a/..b',
  ])('accepts %s', path => {
    expect(validateZnodePath(path)).toBe(path);
  });

  it.each([
    ['', /is empty; it must be absolute/],
    ['a/b', /must start with "\/" \(absolute\), like \/a\/b/],
    ['/a/', /segment 2 is empty \(remove the trailing "\/"\)/],
    ['//', /segment 1 is empty/],
    ['/a//b', /segment 2 is empty$/],
    ['/a/./b', /segment 2 is a relative segment \("\."\)/],
    ['/..', /segment 1 is a relative segment \("\.\."\)/],
    ['/a\u0000b', /segment 1 "a.b" contains U\+0000 at character 2/],
    ['/ok/tab\there', /segment 2 .* contains U\+0009 at character 4/],
    ['/a\u007f', /contains U\+007F/],
    ['/a\u0085', /contains U\+0085/],
    [
      '/\ud83d\ude00',
      /contains "\u{1F600}" \(U\+1F600\) at character 1; .*outside the Basic Multilingual Plane/u,
    ],
    ['/a\ud83d', /contains "\ud83d" \(U\+D83D\) at character 2/],
    ['/\ue000', /U\+E000/],
    ['/\ufff0', /U\+FFF0/],
  ])('rejects %j naming the segment', (path, message) => {
    expect(() => validateZnodePath(path)).toThrow(message);
  });

  it('names what it validates', () => {
    expect(() => validateZnodePath('x', 'search prefix')).toThrow(
      'Invalid search prefix "x"',
    );
  });
});

describe('assertWritableZnode', () => {
  it('refuses the root and /zookeeper, allows look-alikes', () => {
    expect(() => assertWritableZnode('/', 'delete')).toThrow(
      'Cannot delete the root znode "/"',
    );
    expect(() => assertWritableZnode('/zookeeper', 'create')).toThrow(
      /belongs to ZooKeeper itself/,
    );
    expect(() => assertWritableZnode('/zookeeper/quota/x', 'change')).toThrow(
      /Cannot change \/zookeeper\/quota\/x/,
    );
    expect(() => assertWritableZnode('/zookeeperish', 'create')).not.toThrow();
  });
});

describe('path helpers', () => {
  it('join, parent, name, ancestors and prefixes are segment-aware', () => {
    expect(joinZnode('/', 'a')).toBe('/a');
    expect(joinZnode('/a', 'b')).toBe('/a/b');
    expect(parentOf('/a')).toBe('/');
    expect(parentOf('/a/b/c')).toBe('/a/b');
    expect(nameOf('/a/b')).toBe('b');
    expect(ancestorsOfZnode('/a/b/c')).toEqual(['/a', '/a/b']);
    expect(ancestorsOfZnode('/a')).toEqual([]);
    expect(isAtOrBelow('/a', '/a')).toBe(true);
    expect(isAtOrBelow('/a', '/a/b')).toBe(true);
    expect(isAtOrBelow('/a', '/ab')).toBe(false);
    expect(isAtOrBelow('/', '/anything')).toBe(true);
  });
});
