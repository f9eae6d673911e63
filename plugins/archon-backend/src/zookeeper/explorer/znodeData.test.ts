import { decodeZnodeDataInput, describeZnodeData, statView } from './znodeData';

describe('describeZnodeData', () => {
  it.each([
    ['{"a":1}', 'json'],
    ['  [1,2]\n', 'json'],
    ['{"a":', 'text'],
    ['42', 'text'],
    ['"quoted"', 'text'],
    ['line 1\r\nline 2\tx\f', 'text'],
    ['', 'text'],
  ])('%j is %s', (text, format) => {
    const view = describeZnodeData(Buffer.from(text));
    expect(view.format).toBe(format);
    expect(view.text).toBe(text);
    expect(view.hex).toBeUndefined();
  });

  it('keeps a byte order mark in the text', () => {
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x61]);
    expect(describeZnodeData(bytes).text).toBe('\ufeffa');
  });

  it.each([
    [[0xff, 0xfe], 'fffe'],
    [[0xc3, 0x28], 'c328'],
    [[0x61, 0x00], '6100'],
    [[0x1b, 0x5b, 0x30, 0x6d], '1b5b306d'],
    [[0x7f], '7f'],
  ])('%j is binary, shown as hex', (bytes, hex) => {
    const view = describeZnodeData(Buffer.from(bytes));
    expect(view).toEqual({
      format: 'binary',
      size: bytes.length,
      base64: Buffer.from(bytes).toString('base64'),
      hex,
    });
  });
});

describe('decodeZnodeDataInput', () => {
  it('decodes each form, and nothing as empty', () => {
    expect(decodeZnodeDataInput({ text: 'ü' })).toEqual(Buffer.from('ü'));
    expect(decodeZnodeDataInput({ base64: 'AAH/' })).toEqual(
      Buffer.from([0, 1, 255]),
    );
    expect(decodeZnodeDataInput({ json: { a: [1, null] } }).toString()).toBe(
      '{"a":[1,null]}',
    );
    expect(decodeZnodeDataInput({ json: null }).toString()).toBe('null');
    expect(decodeZnodeDataInput({}).length).toBe(0);
    expect(decodeZnodeDataInput(undefined).length).toBe(0);
  });

  it.each([
    [{ text: 'a', json: 1 }, /"data" has "text" and "json"; give exactly one/],
    [{ base64: 'YQ' }, /not valid base64/],
    [{ base64: 'Y Q==' }, /not valid base64/],
    [{ base64: 'YQ==YQ==' }, /not valid base64/],
    [{ base64: '-_8=' }, /not valid base64/],
    [{ text: 'a\ud800b' }, /unpaired UTF-16 surrogate at character 2/],
  ])('rejects %j', (input, message) => {
    expect(() => decodeZnodeDataInput(input)).toThrow(message);
  });

  it('enforces the size limit, naming the field', () => {
    expect(() =>
      decodeZnodeDataInput({ text: 'abcd' }, { field: 'x.data', maxBytes: 3 }),
    ).toThrow('"x.data" is 4 bytes; a znode holds at most 3 bytes');
  });
});

describe('statView', () => {
  it('shows 64-bit fields as hex and times as ISO 8601', () => {
    const long = (n: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(n);
      return b;
    };
    const view = statView({
      czxid: long(0x10n),
      mzxid: long(0x1_0000_0002n),
      pzxid: long(0x20n),
      ctime: long(1_700_000_000_000n),
      mtime: long(1_700_000_000_123n),
      version: 3,
      cversion: 1,
      aversion: 0,
      ephemeralOwner: long(-0x7ffffffffffffffen),
      dataLength: 5,
      numChildren: 2,
    });
    expect(view).toEqual({
      czxid: '0x10',
      mzxid: '0x100000002',
      pzxid: '0x20',
      ctime: '2023-11-14T22:13:20.000Z',
      mtime: '2023-11-14T22:13:20.123Z',
      version: 3,
      cversion: 1,
      aversion: 0,
      ephemeralOwner: '0x8000000000000002',
      ephemeral: true,
      dataLength: 5,
      numChildren: 2,
    });
  });
});
