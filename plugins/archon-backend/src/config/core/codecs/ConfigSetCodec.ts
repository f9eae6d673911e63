import { InputError } from '@backstage/errors';
import { ConfigProperties } from '../types';

/**
 * Turns a configuration set into znode data and back. New encodings are added
 * by implementing this interface and listing them in `configSetCodecs`.
 *
 * Both directions treat a zero-length buffer as "no configuration set" (an
 * intermediate level): `decode` returns `{}` for it and `encode` never produces
 * it, so an empty set stays distinguishable from no set. Use
 * {@link decodeConfigLevelData} when the distinction matters.
 *
 * Codecs check structure only (an object of string values); key naming rules
 * and size limits live in `ConfigSetValidation` so that every encoding shares
 * them.
 */
export interface ConfigSetCodec {
  /** Stable identifier, e.g. `json` or `properties`. */
  readonly name: string;
  /** Encodes a set; never returns an empty buffer. */
  encode(properties: Readonly<ConfigProperties>): Buffer;
  /**
   * Decodes znode data. `path` is only used in error messages.
   *
   * @throws InputError naming `path` when the data is malformed.
   */
  decode(data: Buffer, path: string): ConfigProperties;
}

// `fatal` makes invalid UTF-8 an error instead of silently becoming U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes bytes as UTF-8 (a leading byte order mark is dropped).
 *
 * @throws InputError naming `path` when the bytes are not valid UTF-8.
 */
export function decodeUtf8(data: Buffer, path: string, format: string): string {
  try {
    return utf8Decoder.decode(data);
  } catch {
    throw new InputError(
      `Configuration set at ${JSON.stringify(
        path,
      )} is not valid UTF-8 ${format} text`,
    );
  }
}

/** True for znode data that means "this level holds no configuration set". */
export function isNoConfigSetData(data: Buffer | null | undefined): boolean {
  return !data || data.length === 0;
}

/** Decodes a level's znode data, telling "no set" apart from an empty set. */
export function decodeConfigLevelData(
  codec: ConfigSetCodec,
  data: Buffer | null | undefined,
  path: string,
): { hasSet: boolean; properties: ConfigProperties } {
  if (isNoConfigSetData(data)) {
    return { hasSet: false, properties: {} };
  }
  return { hasSet: true, properties: codec.decode(data!, path) };
}
