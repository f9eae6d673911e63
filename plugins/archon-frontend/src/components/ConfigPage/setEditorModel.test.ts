import { patchOf, problemsByKey } from './setEditorModel';

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
