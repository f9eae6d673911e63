import {
  baseAfterConflict,
  emptyRow,
  patchOf,
  problemsByKey,
  propsOf,
  rowProblems,
  rowStatus,
  rowsOf,
  rowsOfMerge,
  saveLabel,
  theirsVersion,
  type Conflict,
} from './setEditorModel';

describe('patchOf', () => {
  it('sets changed and new keys and unsets removed ones', () => {
    expect(
      patchOf({ a: '1', b: '2', c: '3' }, { a: '1', b: '20', d: '4' }),
    ).toEqual({
      set: { b: '20', d: '4' },
      unset: ['c'],
    });
  });
});

describe('problemsByKey', () => {
  it('splits the backend message per key, even with semicolons inside a problem', () => {
    const message =
      'Invalid configuration set for "/p": Invalid configuration key "": keys must not be empty; keys are one or more of A-Z a-z 0-9 . _ -; The value of key "n" is a number; values must be strings (write "1" instead of 1)';
    expect(problemsByKey(message, ['', 'n', 'ok'])).toEqual({
      '': 'Invalid configuration key "": keys must not be empty; keys are one or more of A-Z a-z 0-9 . _ -',
      n: 'The value of key "n" is a number; values must be strings (write "1" instead of 1)',
    });
  });
});

describe('rows', () => {
  it('are the keys in order, and give back the properties without removed or empty keys', () => {
    const rows = rowsOf({ b: '2', a: '1' });
    expect(rows.map(r => [r.key, r.value, r.isNew, r.removed])).toEqual([
      ['a', '1', false, false],
      ['b', '2', false, false],
    ]);
    expect(new Set([...rows, emptyRow()].map(r => r.id)).size).toBe(3);
    expect(
      propsOf([
        { ...rows[0], removed: true },
        rows[1],
        { ...emptyRow(), value: 'no key yet' },
        { ...emptyRow(), key: 'c', value: '3' },
      ]),
    ).toEqual({ b: '2', c: '3' });
  });

  it('say whether a key is new, changed or removed', () => {
    const [row] = rowsOf({ a: '1' });
    expect(rowStatus(row, '1')).toBeUndefined();
    expect(rowStatus({ ...row, value: '2' }, '1')).toBe('changed');
    expect(rowStatus({ ...row, removed: true }, '1')).toBe('removed');
    expect(rowStatus(row, undefined)).toBe('new');
    expect(rowStatus({ ...emptyRow(), key: 'x' }, undefined)).toBe('new');
  });

  it('have the problems the browser can tell: an invalid new key, a key twice', () => {
    const [a] = rowsOf({ a: '1' });
    const bad = { ...emptyRow(), key: 'has space' };
    const empty = emptyRow();
    const twice = { ...emptyRow(), key: 'a' };
    const gone = { ...emptyRow(), key: 'a', removed: true };
    const problems = rowProblems([a, bad, empty, twice, gone]);
    expect(Object.keys(problems).map(Number).sort()).toEqual(
      [bad.id, empty.id, twice.id].sort(),
    );
    expect(problems[empty.id]).toBe('Enter a key');
    expect(problems[twice.id]).toBe('"a" is already in this set');
    expect(rowProblems([a, { ...emptyRow(), key: 'b' }])).toEqual({});
  });
});

describe('after a conflict', () => {
  const conflict: Conflict = {
    theirs: { a: '1', b: 'theirs' },
    theirsVersion: 6,
    theirsExists: true,
    mine: { a: '1', b: 'mine', c: 'new' },
    message: 'changed meanwhile',
  };

  it('writes against the newer version, or -1 when the newer set is gone', () => {
    expect(theirsVersion(conflict)).toBe(6);
    expect(theirsVersion({ ...conflict, theirsExists: false })).toBe(-1);
    expect(theirsVersion({ ...conflict, theirsVersion: undefined })).toBe(-1);
  });

  it('edits the merge from the newer set, its keys not in that set new', () => {
    expect(baseAfterConflict(conflict, true, 'edit')).toEqual({
      exists: true,
      intermediate: true,
      properties: conflict.theirs,
      version: 6,
      masked: true,
    });
    // A newer level without keys is only an intermediate level: saving creates its set.
    expect(
      baseAfterConflict({ ...conflict, theirs: {} }, false, 'edit'),
    ).toMatchObject({ exists: false, intermediate: true });
    const rows = rowsOfMerge(conflict.mine, conflict.theirs);
    expect(rows.map(r => [r.key, r.value, r.isNew])).toEqual([
      ['a', '1', false],
      ['b', 'mine', false],
      ['c', 'new', true],
    ]);
  });

  it('drops the edit for the newer set as it is', () => {
    expect(baseAfterConflict(conflict, false, 'cancel')).toEqual({
      exists: true,
      intermediate: false,
      properties: conflict.theirs,
      version: 6,
      masked: false,
    });
    expect(
      baseAfterConflict({ ...conflict, theirsExists: false }, false, 'cancel'),
    ).toMatchObject({ exists: false, version: -1 });
  });
});

describe('saveLabel', () => {
  it('creates a set that does not exist, saves one that does', () => {
    expect(saveLabel(false, false)).toBe('Create set');
    expect(saveLabel(false, true)).toBe('Save');
    expect(saveLabel(true, true)).toBe('Saving…');
  });
});
