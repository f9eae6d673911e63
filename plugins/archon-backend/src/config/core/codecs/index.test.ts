import { InputError } from '@backstage/errors';
import {
  JsonConfigSetCodec,
  PropertiesConfigSetCodec,
  configSetCodecs,
  decodeConfigLevelData,
  defaultConfigSetCodec,
  getConfigSetCodec,
  isNoConfigSetData,
} from './index';

describe('codec registry', () => {
  it('defaults to JSON and knows properties', () => {
    expect(defaultConfigSetCodec).toBeInstanceOf(JsonConfigSetCodec);
    expect([...configSetCodecs.keys()]).toEqual(['json', 'properties']);
    expect(getConfigSetCodec('properties')).toBeInstanceOf(
      PropertiesConfigSetCodec,
    );
  });

  it('names the known codecs for an unknown name', () => {
    expect(() => getConfigSetCodec('yaml')).toThrow(
      'Unknown configuration set encoding "yaml"; known encodings are json, properties',
    );
    expect(() => getConfigSetCodec('yaml')).toThrow(InputError);
  });
});

describe('decodeConfigLevelData', () => {
  it.each([...configSetCodecs.values()])(
    'tells no set apart from an empty set with $name',
    codec => {
      expect(isNoConfigSetData(Buffer.alloc(0))).toBe(true);
      expect(isNoConfigSetData(undefined)).toBe(true);
      expect(decodeConfigLevelData(codec, Buffer.alloc(0), '/p')).toEqual({
        hasSet: false,
        properties: {},
      });
      expect(decodeConfigLevelData(codec, null, '/p')).toEqual({
        hasSet: false,
        properties: {},
      });
      expect(decodeConfigLevelData(codec, codec.encode({}), '/p')).toEqual({
        hasSet: true,
        properties: {},
      });
      expect(
        decodeConfigLevelData(codec, codec.encode({ a: '1' }), '/p'),
      ).toEqual({ hasSet: true, properties: { a: '1' } });
    },
  );
});
