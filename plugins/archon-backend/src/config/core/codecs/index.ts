import { InputError } from '@backstage/errors';
import { ConfigSetCodec } from './ConfigSetCodec';
import { JsonConfigSetCodec } from './JsonConfigSetCodec';
import { PropertiesConfigSetCodec } from './PropertiesConfigSetCodec';

export type { ConfigSetCodec } from './ConfigSetCodec';
export { decodeConfigLevelData, isNoConfigSetData } from './ConfigSetCodec';
export { JsonConfigSetCodec } from './JsonConfigSetCodec';
export { PropertiesConfigSetCodec } from './PropertiesConfigSetCodec';

/** The encoding used when none is configured. */
export const defaultConfigSetCodec: ConfigSetCodec = new JsonConfigSetCodec();

/** Every known encoding by name; add new codecs here. */
export const configSetCodecs: ReadonlyMap<string, ConfigSetCodec> = new Map(
  [defaultConfigSetCodec, new PropertiesConfigSetCodec()].map(codec => [
    codec.name,
    codec,
  ]),
);

/**
 * Looks up an encoding by name, e.g. from app-config.
 *
 * @throws InputError listing the known names when `name` is unknown.
 */
export function getConfigSetCodec(name: string): ConfigSetCodec {
  const codec = configSetCodecs.get(name);
  if (!codec) {
    throw new InputError(
      `Unknown configuration set encoding ${JSON.stringify(
        name,
      )}; known encodings are ${[...configSetCodecs.keys()].join(', ')}`,
    );
  }
  return codec;
}
