import {
  configPathArg,
  mergeSets,
  parseEditText,
  parseSetFile,
  renderEditText,
} from './configFormat';

describe('config edit files', () => {
  it('round-trips values that YAML would otherwise read as numbers, booleans or nulls', () => {
    const props = {
      a: '1',
      b: 'true',
      c: '',
      d: 'null',
      e: '01.50',
      f: '${x}-${y}',
      g: 'line1\nline2',
      'h.i-j_k': ' spaced ',
    };
    expect(parseEditText(renderEditText(['header'], props))).toEqual(props);
  });

  it('reads every scalar as a string, an empty file as abort and {} as an empty set', () => {
    expect(parseEditText('x: 1\ny: 2.50\nz: yes\n')).toEqual({
      x: '1',
      y: '2.50',
      z: 'yes',
    });
    expect(parseEditText('# only comments\n\n')).toBeNull();
    expect(parseEditText('{}\n')).toEqual({});
    expect(() => parseEditText('x:\n  nested: 1\n')).toThrow(
      /must be a string/,
    );
    expect(() => parseEditText('- a\n')).toThrow(/mapping/);
    expect(() => parseEditText('x: 1\nx: 2\n')).toThrow(/not valid YAML/);
  });

  it('merges three ways: both sides apply, a key both changed is a conflict that keeps mine', () => {
    const base = { a: '1', b: '1', c: '1', d: '1' };
    const mine = { a: '2', b: '1', c: '9', e: 'new' };
    const theirs = { a: '1', b: '3', c: '8', d: '1', f: 'theirs' };
    const { merged, conflicts } = mergeSets(base, mine, theirs);
    expect(merged).toEqual({ a: '2', b: '3', c: '9', e: 'new', f: 'theirs' });
    expect(conflicts).toEqual([
      { key: 'c', base: '1', mine: '9', theirs: '8' },
    ]);
  });

  it('reads set files as YAML, JSON or .properties', () => {
    expect(parseSetFile('{"a": 1, "b": "x"}', 'set.json')).toEqual({
      a: '1',
      b: 'x',
    });
    expect(
      parseSetFile('# c\na=1\nb: two\nc = x=y\n', 'set.properties'),
    ).toEqual({ a: '1', b: 'two', c: 'x=y' });
  });

  it('takes paths with or without the leading slash', () => {
    expect(configPathArg('/foo/bar/')).toEqual({
      path: '/foo/bar',
      param: 'foo/bar',
    });
    expect(configPathArg('foo')).toEqual({ path: '/foo', param: 'foo' });
    expect(() => configPathArg('/')).toThrow(/configuration level/);
  });
});
