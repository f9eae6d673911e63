import { InputError } from '@backstage/errors';
import type { Stat } from 'node-zookeeper-client';
import type {
  ZooKeeperData,
  ZooKeeperDataInput,
  ZooKeeperStat,
} from '@archon/plugin-archon-common';

/**
 * A znode's stat in JSON: 64-bit ids as hex strings (as zkCli shows them),
 * times as ISO 8601; its bytes shown as base64 (exact) plus text/JSON or hex
 * by content; data sent by a client in exactly one form. The API's own models
 * (generated from the OpenAPI spec), under the names the explorer uses.
 */
export type ZnodeStatView = ZooKeeperStat;
export type ZnodeDataView = ZooKeeperData;
export type ZnodeDataInput = ZooKeeperDataInput;

/** ZooKeeper's jute.maxbuffer is 1 MiB by default for the whole request; this leaves room for the rest. */
export const DEFAULT_MAX_DATA_BYTES = 1_000_000;

function toBigInt(value: Buffer | number | bigint | undefined): bigint {
  if (value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  return value.length === 8 ? value.readBigInt64BE(0) : 0n;
}

function hexOf(value: Buffer | number | undefined): string {
  const n = toBigInt(value);
  return `0x${(n < 0n ? n + (1n << 64n) : n).toString(16)}`;
}

function isoOf(value: Buffer | number | undefined): string {
  return new Date(Number(toBigInt(value))).toISOString();
}

export function statView(stat: Stat): ZnodeStatView {
  const ephemeralOwner = hexOf(stat.ephemeralOwner);
  return {
    czxid: hexOf(stat.czxid),
    mzxid: hexOf(stat.mzxid),
    pzxid: hexOf(stat.pzxid),
    ctime: isoOf(stat.ctime),
    mtime: isoOf(stat.mtime),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner,
    ephemeral: ephemeralOwner !== '0x0',
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 without control characters other than tab, line feed, form feed and carriage return. */
export function textOf(data: Buffer): string | undefined {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return undefined;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (
      (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) ||
      c === 0x7f
    ) {
      return undefined;
    }
  }
  return text;
}

/**
 * Shows bytes by content: a JSON object or array as `json`, other UTF-8 text
 * as `text`, anything else as `binary` with hex. A bare JSON scalar (`8080`,
 * `true`, `"x"`) is shown as text: it reads better and loses nothing, since
 * base64 always carries the exact bytes.
 */
export function describeZnodeData(data: Buffer): ZnodeDataView {
  const base = { size: data.length, base64: data.toString('base64') };
  const text = textOf(data);
  if (text === undefined)
    return { format: 'binary', ...base, hex: data.toString('hex') };
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { format: 'json', ...base, text, json: JSON.parse(text) };
    } catch {
      // Not JSON after all: plain text.
    }
  }
  return { format: 'text', ...base, text };
}

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function loneSurrogateAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

/**
 * The bytes a client asked for: `text` as UTF-8, `base64` decoded strictly,
 * `json` serialized compactly; none of them means empty data. 400 naming the
 * field when the form is ambiguous or broken, or the data too large.
 */
export function decodeZnodeDataInput(
  input: ZnodeDataInput | undefined,
  options: { field?: string; maxBytes?: number } = {},
): Buffer {
  const field = options.field ?? 'data';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DATA_BYTES;
  if (input === undefined || input === null) return Buffer.alloc(0);
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new InputError(
      `"${field}" must be an object with one of "text", "base64" or "json"`,
    );
  }
  const given = (['text', 'base64', 'json'] as const).filter(
    k => input[k] !== undefined,
  );
  if (given.length > 1) {
    throw new InputError(
      `"${field}" has ${given
        .map(k => `"${k}"`)
        .join(' and ')}; give exactly one of "text", "base64" or "json"`,
    );
  }
  let data: Buffer;
  if (given[0] === 'text') {
    const text = input.text;
    if (typeof text !== 'string')
      throw new InputError(`"${field}.text" must be a string`);
    const at = loneSurrogateAt(text);
    if (at >= 0) {
      throw new InputError(
        `"${field}.text" has an unpaired UTF-16 surrogate at character ${
          at + 1
        }; it cannot be stored as UTF-8`,
      );
    }
    data = Buffer.from(text, 'utf8');
  } else if (given[0] === 'base64') {
    const b64 = input.base64;
    if (typeof b64 !== 'string' || !BASE64.test(b64)) {
      throw new InputError(
        `"${field}.base64" is not valid base64 (standard alphabet A-Z a-z 0-9 + /, padded with = to a multiple of 4 characters, no whitespace)`,
      );
    }
    data = Buffer.from(b64, 'base64');
  } else if (given[0] === 'json') {
    data = Buffer.from(JSON.stringify(input.json), 'utf8');
  } else {
    data = Buffer.alloc(0);
  }
  if (data.length > maxBytes) {
    throw new InputError(
      `"${field}" is ${data.length} bytes; a znode holds at most ${maxBytes} bytes here (ZooKeeper's jute.maxbuffer is about 1 MiB per request)`,
    );
  }
  return data;
}
