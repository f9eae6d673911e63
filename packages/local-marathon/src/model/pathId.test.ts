import {
  canonicalPath,
  parentOf,
  pathIdViolations,
  RAML_PATH_ID_PATTERN,
  safePath,
} from './pathId';

describe('path ids', () => {
  it('canonicalises like PathId.canonicalPath', () => {
    expect(canonicalPath('foo')).toBe('/foo');
    expect(canonicalPath('/foo/')).toBe('/foo');
    expect(canonicalPath('//a//b')).toBe('/a/b');
    expect(canonicalPath('a/./b/../c')).toBe('/a/c');
    expect(canonicalPath('../x', '/g/h')).toBe('/g/x');
    expect(canonicalPath('x', '/g')).toBe('/g/x');
    expect(canonicalPath('/abs', '/g')).toBe('/abs');
    expect(canonicalPath('/..')).toBe('/');
  });

  it('accepts and rejects ids like the RAML pattern', () => {
    for (const ok of ['/a', 'a/b', '/a.b-c/d0', '../a', '/a/b/'])
      expect(RAML_PATH_ID_PATTERN.test(ok)).toBe(true);
    for (const bad of ['/A', '/a_b', '/-a', '/a-', '/a b', '/a..b'])
      expect(RAML_PATH_ID_PATTERN.test(bad)).toBe(false);
  });

  it('reports reserved keywords and the empty path', () => {
    expect(pathIdViolations('/a/tasks')).toEqual([
      'must not end with any of the following reserved keywords: restart, tasks, versions, ., ..',
    ]);
    expect(pathIdViolations('/')).toEqual([
      'Path must contain at least one path element',
    ]);
    expect(pathIdViolations('/a/b')).toEqual([]);
  });

  it('derives parents and task id prefixes', () => {
    expect(parentOf('/a/b/c')).toBe('/a/b');
    expect(parentOf('/a')).toBe('/');
    expect(safePath('/prod/web/nginx')).toBe('prod_web_nginx');
  });
});
