import { compileMessageFilter, parseJsonPath, testJson } from './messageFilter';

const record = (value: unknown, key: string | null = null) => ({
  key: key === null ? null : Buffer.from(key),
  value:
    value === null
      ? null
      : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

describe('the message filter', () => {
  it('parses the small JSON path grammar', () => {
    expect(parseJsonPath('$.user.id == 42')).toEqual({
      path: ['user', 'id'],
      op: '==',
      literal: 42,
    });
    expect(parseJsonPath('$.items[0]["sku code"] ~= AB')).toEqual({
      path: ['items', 0, 'sku code'],
      op: '~=',
      literal: 'AB',
    });
    expect(parseJsonPath(' $.a ')).toEqual({ path: ['a'] });
    expect(parseJsonPath('$.s != "two words"').literal).toBe('two words');
  });

  it('refuses bad expressions naming the field and the place', () => {
    expect(() => parseJsonPath('user.id == 1')).toThrow(
      /^jsonPath: must start with "\$"/,
    );
    expect(() => parseJsonPath('$.user = 1')).toThrow(
      /^jsonPath: expected one of == .* at position 8/,
    );
    expect(() => parseJsonPath('$.a[x]')).toThrow(/expected \[number\]/);
    expect(() => parseJsonPath('$.a == two words')).toThrow(/quote a value/);
    expect(() => parseJsonPath('$.a > true')).toThrow(/compares numbers/);
    expect(() => parseJsonPath('$.a ==')).toThrow(/expected a value/);
    expect(() => parseJsonPath('$.a == "open')).toThrow(/not a JSON value/);
  });

  it('compares as JSON', () => {
    const doc = { user: { id: 42, name: 'Ada' }, tags: ['x'], gone: null };
    const t = (e: string) => testJson(doc, parseJsonPath(e));
    expect(t('$.user.id == 42')).toBe(true);
    expect(t('$.user.id == "42"')).toBe(false);
    expect(t('$.user.id != 41')).toBe(true);
    expect(t('$.user.id >= 42')).toBe(true);
    expect(t('$.user.id < 42')).toBe(false);
    expect(t('$.user.name > Ab')).toBe(true);
    expect(t('$.user.name ~= da')).toBe(true);
    expect(t('$.tags ~= x')).toBe(true);
    expect(t('$.tags[0] == x')).toBe(true);
    expect(t('$.user')).toBe(true);
    expect(t('$.gone')).toBe(false);
    expect(t('$.missing != 1')).toBe(false);
    expect(t('$.user.id > "a"')).toBe(false);
  });

  it('combines key, substring and JSON path, all of which must hold', () => {
    expect(compileMessageFilter({})).toBeUndefined();
    const match = compileMessageFilter({
      key: 'k1',
      valueContains: 'Ada',
      jsonPath: '$.user.id == 42',
    })!;
    expect(match(record({ user: { id: 42, name: 'Ada' } }, 'k1'))).toBe(true);
    expect(match(record({ user: { id: 42, name: 'Ada' } }, 'k2'))).toBe(false);
    expect(match(record({ user: { id: 42, name: 'Bob' } }, 'k1'))).toBe(false);
    expect(match(record({ user: { id: 7, name: 'Ada' } }, 'k1'))).toBe(false);
    expect(match(record('Ada, not JSON', 'k1'))).toBe(false);
    expect(match(record(null, 'k1'))).toBe(false);
  });
});
