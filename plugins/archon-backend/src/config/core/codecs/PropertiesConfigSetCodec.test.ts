import { InputError } from '@backstage/errors';
import { PropertiesConfigSetCodec } from './PropertiesConfigSetCodec';

const codec = new PropertiesConfigSetCodec();
const decode = (text: string) => codec.decode(Buffer.from(text, 'utf8'), '/p');

describe('PropertiesConfigSetCodec reading (java.util.Properties rules)', () => {
  it('accepts =, : and whitespace as separators', () => {
    expect(
      decode('a=1\nb:2\nc 3\nd\t4\ne = 5\nf : 6\ng   7\nh =: 8\ni :=9\n'),
    ).toEqual({
      a: '1',
      b: '2',
      c: '3',
      d: '4',
      e: '5',
      f: '6',
      g: '7',
      h: ': 8',
      i: '=9',
    });
  });

  it('uses the first unescaped separator and keeps = and : in values', () => {
    expect(decode('url=jdbc:pg://h:5432/db?a=b\nratio: 1:2=3\n')).toEqual({
      url: 'jdbc:pg://h:5432/db?a=b',
      ratio: '1:2=3',
    });
  });

  it('allows keys without values', () => {
    expect(decode('flag\nempty=\nblank   \n')).toEqual({
      flag: '',
      empty: '',
      blank: '',
    });
  });

  it('skips comments, blank lines and leading whitespace', () => {
    expect(
      decode(
        '# comment\n! also a comment\n\n   \n\t  indented = yes\n  # indented comment\nkey=value # not a comment\n',
      ),
    ).toEqual({ indented: 'yes', key: 'value # not a comment' });
  });

  it('keeps trailing whitespace in values', () => {
    expect(decode('a = value  \n')).toEqual({ a: 'value  ' });
  });

  it('joins continuation lines, dropping the next line’s indentation', () => {
    expect(
      decode(
        'fruits = apple, banana, \\\n         pear, \\\n    cherry\nnext=1\n',
      ),
    ).toEqual({ fruits: 'apple, banana, pear, cherry', next: '1' });
  });

  it('continues only on an odd number of backslashes', () => {
    expect(decode('a=x\\\\\nb=y\\\\\\\nz\n')).toEqual({ a: 'x\\', b: 'y\\z' });
  });

  it('does not treat # at the start of a continuation line as a comment', () => {
    expect(decode('a=1\\\n  # still a\nb=2\n')).toEqual({
      a: '1# still a',
      b: '2',
    });
  });

  it('treats # as a comment when a continued line is still empty (Java 9+)', () => {
    expect(decode('\\\n# comment\na=1\n')).toEqual({ a: '1' });
  });

  it('reads a last line holding only a backslash as the empty key, like Java', () => {
    expect(decode('a=1\n\\\n')).toEqual({ a: '1', '': '' });
    expect(decode('a=1\n\\\r\n')).toEqual({ a: '1' });
  });

  it('never continues comment lines', () => {
    expect(decode('# comment \\\na=1\n')).toEqual({ a: '1' });
  });

  it('ends a continuation at an empty line', () => {
    expect(decode('a=1\\\n\nb=2\n')).toEqual({ a: '1', b: '2' });
  });

  it('drops a backslash at the very end of input', () => {
    expect(decode('a=1\\')).toEqual({ a: '1' });
  });

  it('handles \\r\\n and lone \\r line endings, also in continuations', () => {
    expect(decode('a=1\r\nb=2\rc=3\\\r\n   4\r\n')).toEqual({
      a: '1',
      b: '2',
      c: '34',
    });
  });

  it('decodes \\uXXXX escapes, including surrogate pairs', () => {
    expect(
      decode('greeting=gr\\u00FC\\u00dfe\nsmile=\\uD83D\\uDE00\n\\u006Bey=v\n'),
    ).toEqual({ greeting: 'grüße', smile: '😀', key: 'v' });
  });

  it('decodes character escapes and drops backslashes before other characters', () => {
    expect(
      decode('a=tab\\there\\nnew\\rret\\fform\nb=\\q\\\\\\=\\:\\#\\!\n'),
    ).toEqual({
      a: 'tab\there\nnew\rret\fform',
      b: 'q\\=:#!',
    });
  });

  it('reads keys with escaped spaces and separators', () => {
    expect(
      decode('my\\ key = v\nk\\=1=v2\nk\\:2:v3\n\\ lead=v4\nk\\#=v5\n'),
    ).toEqual({
      'my key': 'v',
      'k=1': 'v2',
      'k:2': 'v3',
      ' lead': 'v4',
      'k#': 'v5',
    });
  });

  it('reads raw UTF-8', () => {
    expect(decode('name=日本語\nclé=é\n')).toEqual({
      name: '日本語',
      clé: 'é',
    });
  });

  it('lets the last duplicate win, as Java does', () => {
    expect(decode('a=1\na=2\n')).toEqual({ a: '2' });
  });

  it('rejects malformed \\u escapes, naming the path and line', () => {
    expect(() => decode('a=1\n\nb=x\\u12G4\n')).toThrow(
      'Configuration set at "/p" has a malformed \\uXXXX escape "\\\\u12G4" on line 3',
    );
    expect(() => decode('a=\\u12')).toThrow(InputError);
  });

  it('rejects invalid UTF-8', () => {
    expect(() => codec.decode(Buffer.from([0x61, 0x3d, 0xe9]), '/p')).toThrow(
      'Configuration set at "/p" is not valid UTF-8 .properties text',
    );
  });

  it('decodes an empty buffer as no properties', () => {
    expect(codec.decode(Buffer.alloc(0), '/p')).toEqual({});
  });
});

describe('PropertiesConfigSetCodec writing', () => {
  it('writes a header, sorted keys and key=value lines', () => {
    expect(codec.encode({ b: '2', a: '1' }).toString('utf8')).toBe(
      '#Pheidippides configuration set\na=1\nb=2\n',
    );
  });

  it('never encodes a set as an empty buffer', () => {
    const data = codec.encode({});
    expect(data.length).toBeGreaterThan(0);
    expect(codec.decode(data, '/p')).toEqual({});
  });

  it('escapes what must be escaped and writes pure ASCII', () => {
    const text = codec
      .encode({
        'my key': ' lead and trail ',
        'a=b:c': 'x=y:z#!',
        path: 'C:\\dir',
        lines: 'one\ntwo\tthree\r\f',
        unicode: 'é😀',
        control: '\u0001',
      })
      .toString('utf8');
    expect(text).toBe(
      [
        '#Pheidippides configuration set',
        'a\\=b\\:c=x\\=y\\:z\\#\\!',
        'control=\\u0001',
        'lines=one\\ntwo\\tthree\\r\\f',
        'my\\ key=\\ lead and trail ',
        'path=C\\:\\\\dir',
        'unicode=\\u00E9\\uD83D\\uDE00',
        '',
      ].join('\n'),
    );
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
  });

  it('round-trips tricky sets', () => {
    const properties = {
      'db.url': 'jdbc:postgresql://h:5432/db?a=b&c=d',
      'key with spaces': '  leading and trailing  ',
      '=:#!': '=:#!',
      backslashes: '\\\\ \\ \\',
      continuation: 'ends with backslash \\',
      multi: 'line1\nline2\r\n\ttabbed\f',
      unicode: 'héllo wörld 日本 😀',
      reference: '${a} and $${literal}',
      comment: '# not a comment',
      bang: '!bang',
      empty: '',
      ' ': 'space key',
      '': 'empty key',
    };
    expect(codec.decode(codec.encode(properties), '/p')).toEqual(properties);
  });
});
