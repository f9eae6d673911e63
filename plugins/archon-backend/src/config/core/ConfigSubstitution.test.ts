import {
  hasSubstitutionSyntax,
  parseConfigValue,
  referencedKeysOf,
  transitiveReferencesOf,
} from './ConfigSubstitution';

describe('parseConfigValue', () => {
  it('splits literals and references', () => {
    expect(parseConfigValue('a ${b} c${d.e}')).toEqual({
      tokens: [
        { kind: 'literal', text: 'a ' },
        { kind: 'reference', key: 'b', offset: 2 },
        { kind: 'literal', text: ' c' },
        { kind: 'reference', key: 'd.e', offset: 8 },
      ],
      syntaxProblems: [],
    });
  });

  it('turns $${ into literal ${ and leaves other $ alone', () => {
    expect(parseConfigValue('$${x} $ $$ $}')).toEqual({
      tokens: [{ kind: 'literal', text: '${x} $ $$ $}' }],
      syntaxProblems: [],
    });
  });

  it('reports unterminated and invalid references', () => {
    expect(parseConfigValue('${ok} ${a b} ${} ${open').syntaxProblems).toEqual([
      { kind: 'invalid-reference', reference: 'a b', offset: 6 },
      { kind: 'invalid-reference', reference: '', offset: 13 },
      { kind: 'unterminated-reference', offset: 17 },
    ]);
  });
});

describe('references', () => {
  it('finds direct references without duplicates', () => {
    expect(hasSubstitutionSyntax('plain $ text')).toBe(false);
    expect(referencedKeysOf('${a}${b}${a} $${c}')).toEqual(['a', 'b']);
  });

  it('follows chains', () => {
    const raw: Record<string, string> = {
      a: '${b}-${c}',
      b: '${d}',
      c: 'x',
      d: '${missing}',
      e: 'y',
    };
    expect(transitiveReferencesOf('a', k => raw[k])).toEqual([
      'b',
      'c',
      'd',
      'missing',
    ]);
    expect(transitiveReferencesOf('e', k => raw[k])).toEqual([]);
  });
});
