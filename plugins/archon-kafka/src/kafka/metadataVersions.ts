/**
 * KRaft `metadata.version` feature levels and the Kafka releases they belong
 * to, read from Kafka 4.3.1's `MetadataVersion` enum. The broker advertises
 * its finalized level in ApiVersions, which is the only place the Kafka
 * protocol tells a release. Levels below 7 predate production KRaft.
 */
const METADATA_VERSIONS: Record<number, string> = {
  7: '3.3-IV3',
  8: '3.4-IV0',
  9: '3.5-IV0',
  10: '3.5-IV1',
  11: '3.5-IV2',
  12: '3.6-IV0',
  13: '3.6-IV1',
  14: '3.6-IV2',
  15: '3.7-IV0',
  16: '3.7-IV1',
  17: '3.7-IV2',
  18: '3.7-IV3',
  19: '3.7-IV4',
  20: '3.8-IV0',
  21: '3.9-IV0',
  22: '4.0-IV0',
  23: '4.0-IV1',
  24: '4.0-IV2',
  25: '4.0-IV3',
  26: '4.1-IV0',
  27: '4.1-IV1',
  28: '4.2-IV0',
  29: '4.2-IV1',
  30: '4.3-IV0',
  31: '4.4-IV0',
};

/** `4.3-IV0` for level 30; `metadata.version level N` for levels this table does not know. */
export function describeMetadataVersion(level: number): string {
  return METADATA_VERSIONS[level] ?? `metadata.version level ${level}`;
}
