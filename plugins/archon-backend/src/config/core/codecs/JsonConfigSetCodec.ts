import { InputError } from '@backstage/errors';
import { ConfigProperties } from '../types';
import { ConfigSetCodec, decodeUtf8 } from './ConfigSetCodec';

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/**
 * Encodes a set as a JSON object of strings, keys sorted and indented so the
 * znode reads well in zkCli and diffs cleanly. This is the default encoding.
 */
export class JsonConfigSetCodec implements ConfigSetCodec {
  readonly name = 'json';

  encode(properties: Readonly<ConfigProperties>): Buffer {
    const sorted = Object.keys(properties)
      .sort()
      .map(key => [key, properties[key]] as const);
    // fromEntries defines own properties, so a key named "__proto__" stays a
    // key instead of replacing the object's prototype.
    return Buffer.from(
      `${JSON.stringify(Object.fromEntries(sorted), null, 2)}\n`,
      'utf8',
    );
  }

  decode(data: Buffer, path: string): ConfigProperties {
    if (data.length === 0) {
      return {};
    }
    const text = decodeUtf8(data, path, 'JSON');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InputError(
        `Configuration set at ${JSON.stringify(path)} is not valid JSON: ${
          (error as Error).message
        }`,
      );
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed)
    ) {
      throw new InputError(
        `Configuration set at ${JSON.stringify(
          path,
        )} must be a JSON object of string values, but it is ${describeType(
          parsed,
        )}`,
      );
    }
    const entries = Object.entries(parsed);
    const bad = entries.filter(([, value]) => typeof value !== 'string');
    if (bad.length > 0) {
      const list = bad
        .map(
          ([key, value]) => `${JSON.stringify(key)} is ${describeType(value)}`,
        )
        .join(', ');
      throw new InputError(
        `Configuration set at ${JSON.stringify(
          path,
        )} must be a JSON object of string values, but ${list}`,
      );
    }
    return Object.fromEntries(entries) as ConfigProperties;
  }
}
