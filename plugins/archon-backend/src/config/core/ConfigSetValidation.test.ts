import { InputError } from '@backstage/errors';
import { PropertiesConfigSetCodec } from './codecs';
import {
  validateConfigKey,
  validateConfigProperties,
  validateConfigSet,
  validateConfigSetSize,
} from './ConfigSetValidation';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('validateConfigKey', () => {
  it('accepts A-Z a-z 0-9 . _ -', () => {
    expect(() => validateConfigKey('db.url_2-x')).not.toThrow();
    expect(() => validateConfigKey('__proto__')).not.toThrow();
  });

  it('rejects empty keys', () => {
    expect(messageOf(() => validateConfigKey(''))).toBe(
      'Invalid configuration key "": keys must not be empty; keys are one or more of A-Z a-z 0-9 . _ -',
    );
  });

  it('names the key and the offending character', () => {
    expect(messageOf(() => validateConfigKey('db url'))).toBe(
      'Invalid configuration key "db url": " " (U+0020) at character 3 is not allowed; keys are one or more of A-Z a-z 0-9 . _ -',
    );
    expect(messageOf(() => validateConfigKey('a/b'))).toMatch(
      /"a\/b": "\/" \(U\+002F\) at character 2/,
    );
    expect(messageOf(() => validateConfigKey('clé'))).toMatch(
      /"clé": "é" \(U\+00E9\) at character 3/,
    );
    expect(messageOf(() => validateConfigKey('${x}'))).toMatch(/"\$"/);
  });

  it('enforces the length limit, configurable', () => {
    expect(() => validateConfigKey('k'.repeat(256))).not.toThrow();
    expect(messageOf(() => validateConfigKey('k'.repeat(257)))).toMatch(
      /is 257 characters long; the limit is 256/,
    );
    expect(messageOf(() => validateConfigKey('abcd', 3))).toMatch(
      /"abcd": it is 4 characters long; the limit is 3/,
    );
  });
});

describe('validateConfigProperties', () => {
  it('returns a copy', () => {
    const input = { a: '1' };
    const output = validateConfigProperties('/foo', input);
    expect(output).toEqual(input);
    expect(output).not.toBe(input);
  });

  it('rejects non-objects', () => {
    expect(messageOf(() => validateConfigProperties('/foo', null))).toMatch(
      /for "\/foo": expected an object mapping keys to string values, got null/,
    );
    expect(messageOf(() => validateConfigProperties('/foo', ['a']))).toMatch(
      /got an array/,
    );
    expect(messageOf(() => validateConfigProperties('/foo', 'a=1'))).toMatch(
      /got a string/,
    );
  });

  it('names keys whose values are not strings, all at once', () => {
    const message = messageOf(() =>
      validateConfigProperties('/foo', {
        port: 8080,
        nested: { a: 'b' },
        enabled: true,
        'bad key': 'x',
        fine: 'ok',
      }),
    );
    expect(message).toMatch(
      /The value of key "port" is a number; values must be strings \(write "8080" instead of 8080\)/,
    );
    expect(message).toMatch(/The value of key "nested" is an object/);
    expect(message).toMatch(/The value of key "enabled" is a boolean/);
    expect(message).toMatch(/Invalid configuration key "bad key"/);
    expect(message).not.toMatch(/"fine"/);
  });

  it('rejects values that cannot be encoded as UTF-8', () => {
    expect(
      messageOf(() => validateConfigProperties('/foo', { a: 'x\uD800y' })),
    ).toMatch(/key "a" contains an unpaired UTF-16 surrogate/);
  });
});

describe('validateConfigSetSize', () => {
  it('accepts sets under the limit', () => {
    expect(() =>
      validateConfigSetSize('/foo', { a: 'x'.repeat(100) }),
    ).not.toThrow();
  });

  it('names the size, the limit and the largest keys', () => {
    const message = messageOf(() =>
      validateConfigSetSize(
        '/foo',
        { small: 'x', big: 'y'.repeat(600), medium: 'z'.repeat(300) },
        { maxEncodedBytes: 500 },
      ),
    );
    expect(message).toMatch(
      /^Configuration set for "\/foo" is \d+ bytes when encoded as json; the limit is 500 bytes\. Largest keys: "big" \(603 bytes\), "medium" \(306 bytes\), "small" \(6 bytes\)$/,
    );
  });

  it('measures the configured encoding', () => {
    // Non-ASCII characters cost 2 bytes in JSON (UTF-8) but 6 as \uXXXX.
    const set = { a: 'é'.repeat(100) };
    expect(() =>
      validateConfigSetSize('/foo', set, { maxEncodedBytes: 300 }),
    ).not.toThrow();
    expect(
      messageOf(() =>
        validateConfigSetSize('/foo', set, {
          maxEncodedBytes: 300,
          codec: new PropertiesConfigSetCodec(),
        }),
      ),
    ).toMatch(/when encoded as properties/);
  });

  it('defaults to 1,000,000 bytes', () => {
    expect(() =>
      validateConfigSetSize('/foo', { a: 'x'.repeat(999_000) }),
    ).not.toThrow();
    expect(() =>
      validateConfigSetSize('/foo', { a: 'x'.repeat(1_000_000) }),
    ).toThrow(/the limit is 1000000 bytes/);
  });
});

describe('validateConfigSet', () => {
  it('checks the path, the set and its size', () => {
    expect(validateConfigSet('/foo', { a: '1' })).toEqual({ a: '1' });
    expect(() => validateConfigSet('/foo/', { a: '1' })).toThrow(
      /Invalid configuration path/,
    );
    expect(() => validateConfigSet('/foo', { a: 1 })).toThrow(
      /values must be strings/,
    );
    expect(() =>
      validateConfigSet('/foo', { a: 'xx' }, { maxEncodedBytes: 5 }),
    ).toThrow(/the limit is 5 bytes/);
  });
});
