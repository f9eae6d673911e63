import { InputError } from '@backstage/errors';
import { JsonConfigSetCodec } from './JsonConfigSetCodec';

const codec = new JsonConfigSetCodec();

describe('JsonConfigSetCodec', () => {
  it('is named json', () => {
    expect(codec.name).toBe('json');
  });

  it('encodes sorted, indented JSON', () => {
    expect(codec.encode({ b: '2', a: '1' }).toString('utf8')).toBe(
      '{\n  "a": "1",\n  "b": "2"\n}\n',
    );
  });

  it('round-trips tricky values', () => {
    const properties = {
      'db.url': 'jdbc:postgresql://h:5432/db?a=b&c=d',
      quotes: 'say "hi" \\ back',
      multi: 'line1\nline2\r\n\ttabbed',
      unicode: 'héllo wörld 日本 😀',
      reference: '${a} and $${literal}',
      empty: '',
    };
    expect(codec.decode(codec.encode(properties), '/foo')).toEqual(properties);
  });

  it('keeps a "__proto__" key as a plain key', () => {
    const properties = JSON.parse('{"__proto__": "kept", "a": "1"}');
    const decoded = codec.decode(codec.encode(properties), '/foo');
    expect(Object.keys(decoded)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toBe(
      'kept',
    );
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('keeps UTF-8 as is', () => {
    expect(codec.encode({ a: 'é' }).includes(Buffer.from('é'))).toBe(true);
  });

  it('never encodes a set as an empty buffer', () => {
    expect(codec.encode({}).length).toBeGreaterThan(0);
    expect(codec.decode(codec.encode({}), '/foo')).toEqual({});
  });

  it('decodes an empty buffer as no properties', () => {
    expect(codec.decode(Buffer.alloc(0), '/foo')).toEqual({});
  });

  it.each([
    [
      '[1]',
      /at "\/foo\/bar" must be a JSON object of string values, but it is an array/,
    ],
    ['"text"', /but it is a string/],
    ['null', /but it is null/],
    ['42', /but it is a number/],
    [
      '{"a": 1, "b": {"c": "d"}, "e": "ok", "f": null}',
      /but "a" is a number, "b" is an object, "f" is null$/,
    ],
    ['{"a": ', /at "\/foo\/bar" is not valid JSON: /],
    ['   ', /is not valid JSON/],
  ])('rejects %s naming the path', (text, expected) => {
    expect(() => codec.decode(Buffer.from(text), '/foo/bar')).toThrow(expected);
    expect(() => codec.decode(Buffer.from(text), '/foo/bar')).toThrow(
      InputError,
    );
  });

  it('rejects invalid UTF-8', () => {
    expect(() => codec.decode(Buffer.from([0x7b, 0xff, 0x7d]), '/foo')).toThrow(
      'Configuration set at "/foo" is not valid UTF-8 JSON text',
    );
  });

  it('accepts a byte order mark', () => {
    const data = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"a":"1"}'),
    ]);
    expect(codec.decode(data, '/foo')).toEqual({ a: '1' });
  });
});
