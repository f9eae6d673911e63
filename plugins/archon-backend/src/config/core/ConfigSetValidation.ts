import { InputError } from '@backstage/errors';
import { ConfigSetCodec, defaultConfigSetCodec } from './codecs';
import { parseConfigPath } from './ConfigPath';
import { ConfigProperties } from './types';

/*
 * Checks a proposed configuration set before it is written, so that a bad
 * write fails with a precise 400 instead of a ZooKeeper error (or, worse, a
 * znode over jute.maxbuffer that clients can no longer read).
 */

const KEY_PATTERN = /^[A-Za-z0-9._-]+$/;
const KEY_RULE = 'keys are one or more of A-Z a-z 0-9 . _ -';

/** Limits applied to configuration sets; every field has a default. */
export interface ConfigSetLimits {
  /** Longest allowed key, in characters. Default 256. */
  maxKeyLength?: number;
  /**
   * Largest allowed encoded set, in bytes. Default 1,000,000: ZooKeeper's
   * jute.maxbuffer defaults to 1 MiB for the whole packet, so leave headroom.
   */
  maxEncodedBytes?: number;
  /** The encoding whose output is measured. Default JSON. */
  codec?: ConfigSetCodec;
}

export const DEFAULT_MAX_CONFIG_KEY_LENGTH = 256;
export const DEFAULT_MAX_CONFIG_SET_BYTES = 1_000_000;

/** How many of the largest keys a size error names. */
const LARGEST_KEYS_SHOWN = 5;

/** Keeps error messages readable when a key is huge. */
function quoteKey(key: string): string {
  return JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
}

function describeValueType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** Explains why a key is invalid, or returns undefined when it is valid. */
export function configKeyProblem(
  key: string,
  maxKeyLength: number = DEFAULT_MAX_CONFIG_KEY_LENGTH,
): string | undefined {
  if (key === '') {
    return `Invalid configuration key "": keys must not be empty; ${KEY_RULE}`;
  }
  if (!KEY_PATTERN.test(key)) {
    let index = 0;
    for (const char of key) {
      index += 1;
      if (!/^[A-Za-z0-9._-]$/.test(char)) {
        const hex = char.codePointAt(0)!.toString(16).toUpperCase();
        return `Invalid configuration key ${quoteKey(key)}: ${JSON.stringify(
          char,
        )} (U+${hex.padStart(
          4,
          '0',
        )}) at character ${index} is not allowed; ${KEY_RULE}`;
      }
    }
  }
  if (key.length > maxKeyLength) {
    return `Invalid configuration key ${quoteKey(key)}: it is ${
      key.length
    } characters long; the limit is ${maxKeyLength}`;
  }
  return undefined;
}

/**
 * Checks one key against the naming rule and length limit.
 *
 * @throws InputError naming the key and the offending character.
 */
export function validateConfigKey(key: string, maxKeyLength?: number): void {
  const problem = configKeyProblem(key, maxKeyLength);
  if (problem) {
    throw new InputError(problem);
  }
}

/**
 * Checks that `value` is a plain object whose keys follow the naming rule and
 * whose values are well-formed strings, reporting every bad entry at once.
 *
 * @returns a fresh copy of the properties.
 * @throws InputError naming `path` and each bad key.
 */
export function validateConfigProperties(
  path: string,
  value: unknown,
  limits: ConfigSetLimits = {},
): ConfigProperties {
  const maxKeyLength = limits.maxKeyLength ?? DEFAULT_MAX_CONFIG_KEY_LENGTH;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      `Invalid configuration set for ${JSON.stringify(
        path,
      )}: expected an object mapping keys to string values, got ${describeValueType(
        value,
      )}`,
    );
  }
  const problems: string[] = [];
  const entries = Object.entries(value);
  for (const [key, entry] of entries) {
    const keyProblem = configKeyProblem(key, maxKeyLength);
    if (keyProblem) {
      problems.push(keyProblem);
    }
    if (typeof entry !== 'string') {
      const hint =
        typeof entry === 'number' || typeof entry === 'boolean'
          ? ` (write ${JSON.stringify(String(entry))} instead of ${entry})`
          : '';
      problems.push(
        `The value of key ${quoteKey(key)} is ${describeValueType(
          entry,
        )}; values must be strings${hint}`,
      );
    } else if (!entry.isWellFormed()) {
      // A lone UTF-16 surrogate cannot be encoded as UTF-8; Buffer.from would
      // silently replace it with U+FFFD.
      problems.push(
        `The value of key ${quoteKey(
          key,
        )} contains an unpaired UTF-16 surrogate and cannot be stored as UTF-8`,
      );
    }
  }
  if (problems.length > 0) {
    throw new InputError(
      `Invalid configuration set for ${JSON.stringify(path)}: ${problems.join(
        '; ',
      )}`,
    );
  }
  return Object.fromEntries(entries) as ConfigProperties;
}

/**
 * Checks that the encoded set fits the size limit.
 *
 * @throws InputError with the encoded size, the limit and the largest keys.
 */
export function validateConfigSetSize(
  path: string,
  properties: Readonly<ConfigProperties>,
  limits: ConfigSetLimits = {},
): void {
  const codec = limits.codec ?? defaultConfigSetCodec;
  const maxBytes = limits.maxEncodedBytes ?? DEFAULT_MAX_CONFIG_SET_BYTES;
  const size = codec.encode(properties).length;
  if (size <= maxBytes) {
    return;
  }
  // Rank by the raw UTF-8 size of key plus value: close enough to each
  // entry's share of any encoding to tell the user what to trim.
  const largest = Object.entries(properties)
    .map(([key, value]) => ({
      key,
      bytes: Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8'),
    }))
    .sort((a, b) => b.bytes - a.bytes || (a.key < b.key ? -1 : 1))
    .slice(0, LARGEST_KEYS_SHOWN)
    .map(({ key, bytes }) => `${quoteKey(key)} (${bytes} bytes)`)
    .join(', ');
  throw new InputError(
    `Configuration set for ${JSON.stringify(
      path,
    )} is ${size} bytes when encoded as ${
      codec.name
    }; the limit is ${maxBytes} bytes. Largest keys: ${largest}`,
  );
}

/**
 * Everything checked before a set is written: the path, then shape, keys,
 * values and size of the set.
 *
 * @returns a fresh copy of the properties.
 * @throws InputError describing every problem found.
 */
export function validateConfigSet(
  path: string,
  value: unknown,
  limits: ConfigSetLimits = {},
): ConfigProperties {
  parseConfigPath(path);
  const properties = validateConfigProperties(path, value, limits);
  validateConfigSetSize(path, properties, limits);
  return properties;
}
